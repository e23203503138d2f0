"""The demo's follow-up data: three years of monthly values, agreements, and a story a politician can read."""

from collections import Counter
from datetime import date

import pytest
from django.db.models import Count, Q, Sum

from tests.conftest import person
from tillit.agreements import services
from tillit.agreements.models import Agreement, AgreementState, AgreementVersion, Boundary, BoundaryKind
from tillit.chain.models import Unit
from tillit.chain.selectors import access_for
from tillit.demo.followup_catalogue import KINDS, STORIES
from tillit.demo.followup_data import PERIODS, REFERENCE_DATE, demo_periods, demo_series
from tillit.followup.models import AnalysisResult
from tillit.indicators.enums import DataType, Origin
from tillit.indicators.models import Indicator, Narrative, Observation, PhaseChange

pytestmark = pytest.mark.integration


# Working units that follow no data in the demo: Biståndsenheten came with the delegation register.
WITHOUT_FOLLOWUP = ("Biståndsenheten",)


def leaves(slug: str):
    """The working units that follow data: the leaves of the tree."""
    units = Unit.objects.filter(organisation__slug=slug).exclude(name__in=WITHOUT_FOLLOWUP)
    return units.exclude(pk__in=Unit.objects.filter(parent__isnull=False).values("parent_id"))


def result(unit_name: str, indicator_name: str) -> AnalysisResult:
    return AnalysisResult.objects.get(
        indicator__unit__name=unit_name,
        indicator__unit__organisation__slug="exempelby",
        indicator__name=indicator_name,
    )


# --- Pure: the series themselves ---------------------------------------------------------------------


def test_the_data_ends_with_the_last_complete_month_before_a_fixed_date_not_today():
    assert date(2026, 11, 15) == REFERENCE_DATE
    assert (PERIODS[0], PERIODS[-1], len(PERIODS)) == (date(2023, 11, 1), date(2026, 10, 1), 36)
    assert demo_periods(date(2024, 1, 31), 3) == (date(2023, 10, 1), date(2023, 11, 1), date(2023, 12, 1))


def test_the_series_are_the_same_on_every_run():
    first, second = demo_series("exempelby"), demo_series("exempelby")

    assert [(s.unit, s.spec.key, s.rows) for s in first] == [(s.unit, s.spec.key, s.rows) for s in second]


@pytest.mark.parametrize("kind", sorted(KINDS["exempelby"]))
def test_every_kind_of_unit_has_a_catalogue_of_about_fifteen_indicators(kind):
    spec = KINDS["exempelby"][kind]

    assert 10 <= len(spec.indicators) <= 16
    assert len({indicator.key for indicator in spec.indicators}) == len(spec.indicators)
    assert all(indicator.definition and indicator.purpose_link for indicator in spec.indicators)


def test_values_fit_their_data_type():
    for series in demo_series("exempelby") + demo_series("grannby"):
        data_type = series.spec.data_type
        for row in series.rows:
            if data_type in (DataType.PROPORTION, DataType.RATE):
                assert row.denominator is not None
                assert row.denominator > 0
                assert row.value == int(row.value)
                assert row.value >= 0
            else:
                assert row.denominator is None
            if data_type == DataType.PROPORTION:
                assert row.value <= row.denominator
            if data_type in (DataType.COUNT, DataType.DAYS_BETWEEN):
                assert row.value == int(row.value)
                assert row.value >= 0


# --- Loaded: indicators and observations ---------------------------------------------------------------


def test_every_working_unit_of_exempelby_follows_indicators_of_its_kind(db):
    per_unit = dict(
        Indicator.objects.filter(organisation__slug="exempelby")
        .exclude(origin=Origin.PLATFORM)  # the obstacles' support indicators are not the units' own
        .values_list("unit__name")
        .annotate(n=Count("pk"))
    )

    assert set(per_unit) == set(leaves("exempelby").values_list("name", flat=True))
    assert len(per_unit) == 37
    assert sum(per_unit.values()) == 325
    # Home care and schools follow about fifteen each; a support function fewer, chosen for its work.
    assert {per_unit[name] for name in ("Hemtjänst Norr", "Hemtjänst Söder", "Ekskolan", "Björkgården")} == {
        15
    }
    assert per_unit["Nattpatrullen"] == 12
    assert min(per_unit.values()) >= 3


def test_most_indicators_are_asked_for_by_the_unit_and_some_are_required_from_outside(db):
    origins = Counter(
        Indicator.objects.filter(organisation__slug="exempelby").values_list("origin", flat=True)
    )
    required_by = set(
        Indicator.objects.filter(organisation__slug="exempelby", origin=Origin.EXTERNAL).values_list(
            "required_by", flat=True
        )
    )

    assert origins[Origin.UNIT] > 2 * origins[Origin.EXTERNAL] > 0
    assert {"Socialstyrelsen", "Skolverket", "Kommunstyrelsen"} <= required_by


def test_every_indicator_has_three_years_of_monthly_data_schools_without_july(db):
    counts = Counter(
        Indicator.objects.filter(organisation__slug="exempelby")
        .exclude(origin=Origin.PLATFORM)  # the obstacles' support indicators are not the units' own
        .annotate(n=Count("observations"))
        .values_list("n", flat=True)
    )
    periods = (
        Observation.objects.filter(organisation__slug="exempelby")
        .exclude(indicator__origin=Origin.PLATFORM)
        .values_list("period", flat=True)
    )

    assert set(counts) == {36, 33}  # 36 months; school data pauses in July (three summers)
    assert counts[36] > counts[33] > 60
    assert (min(periods), max(periods)) == (date(2023, 11, 1), date(2026, 10, 1))
    assert not Observation.objects.filter(period__month=7, indicator__unit__name="Ekskolan").exists()


def test_the_loaded_values_are_the_generated_ones(db):
    generated = {
        (series.unit, series.spec.name): round(sum(row.value for row in series.rows), 6)
        for series in demo_series("exempelby")
    }
    stored = {
        (unit, name): round(total, 6)
        for unit, name, total in Indicator.objects.filter(organisation__slug="exempelby")
        .exclude(origin=Origin.PLATFORM)  # the obstacles' support indicators are not the units' own
        .values_list("unit__name", "name")
        .annotate(total=Sum("observations__value"))
    }

    assert stored == generated


def test_rates_and_proportions_are_shown_per_thousand_and_per_cent(db):
    falls = Indicator.objects.get(unit__name="Hemtjänst Norr", name="Fall per 1 000 vårddygn")
    satisfaction = Indicator.objects.get(unit__name="Hemtjänst Norr", name="Nöjda brukare")

    assert (falls.data_type, falls.scale, satisfaction.data_type, satisfaction.scale) == (
        DataType.RATE,
        1000.0,
        DataType.PROPORTION,
        100.0,
    )


def test_recorded_changes_in_the_work_start_new_phases(db):
    changes = {
        (change.indicator.unit.name, change.indicator.name): (change.period, change.label)
        for change in PhaseChange.objects.filter(organisation__slug="exempelby").select_related(
            "indicator__unit"
        )
    }

    assert changes[("Hemtjänst Norr", "Personalkontinuitet")] == (
        date(2025, 3, 1),
        "Ny planering med fasta team",
    )
    # The demo's experiments (tillit/demo/experiments_data.py) mark their starts too.
    assert len([label for _period, label in changes.values() if not label.startswith("Försök: ")]) == 6
    assert result("Hemtjänst Norr", "Personalkontinuitet").points["segment"][-1] == 1


def test_some_units_say_what_they_see_in_the_latest_months(db):
    narratives = Narrative.objects.filter(organisation__slug="exempelby")

    assert narratives.count() == 8
    assert set(narratives.filter(unit__name="Hemtjänst Norr").values_list("period", flat=True)) == {
        date(2026, 8, 1),
        date(2026, 9, 1),
        date(2026, 10, 1),
    }
    assert (
        narratives.get(unit__name="Hemtjänst Norr", period=date(2026, 9, 1)).author.full_name
        == "Aino Korhonen"
    )


# --- Loaded: trust agreements --------------------------------------------------------------------------


def test_most_units_have_a_signed_agreement_with_the_level_above(db):
    signed = AgreementVersion.objects.filter(organisation__slug="exempelby", state=AgreementState.SIGNED)
    signed_units = set(signed.values_list("agreement__unit__name", flat=True))
    leaf_names = set(leaves("exempelby").values_list("name", flat=True))

    assert len(signed_units & leaf_names) == 34  # of 37 working units
    assert leaf_names - signed_units == {"Hemtjänst Centrum", "Planenheten", "Analys och uppföljning"}
    assert {"Hemtjänsten", "Vård- och omsorgsförvaltningen"} <= signed_units
    assert not Agreement.objects.filter(unit__parent__isnull=True).exists()
    # Both sides signed, each by someone who speaks for it.
    assert all(version.signatures.count() == 2 for version in signed)
    assert all(agreement.upper_unit_id == agreement.unit.parent_id for agreement in Agreement.objects.all())


def test_agreements_have_mandate_boundaries_and_support_promises(db):
    for version in AgreementVersion.objects.filter(
        organisation__slug="exempelby", state=AgreementState.SIGNED
    ):
        kinds = Counter(version.boundaries.values_list("kind", flat=True))

        assert version.purpose
        assert 2 <= version.mandate_items.count() <= 4
        assert kinds[BoundaryKind.QUALITATIVE] == 1
        assert 1 <= sum(kinds.values()) <= 3
        assert 1 <= version.support_promises.count() <= 3
    promise = AgreementVersion.objects.get(
        agreement__unit__name="Hemtjänst Norr", state=AgreementState.SIGNED
    ).support_promises.first()
    assert (promise.text, promise.response_working_days) == (
        "Vi svarar på ett hinder inom 10 arbetsdagar.",
        10,
    )


def test_a_couple_of_agreements_are_past_their_review_date_and_most_are_reviewed_in_2027(db):
    review_dates = dict(
        AgreementVersion.objects.filter(
            organisation__slug="exempelby", state=AgreementState.SIGNED
        ).values_list("agreement__unit__name", "review_date")
    )

    past = {name for name, day in review_dates.items() if day < date(2026, 12, 1)}
    assert past == {"Hemtjänst Väster", "Gatuenheten"}
    assert sum(day.year == 2027 for day in review_dates.values()) == len(review_dates) - 2


def test_hemtjänst_norr_has_a_revised_agreement_and_hemtjänst_centrum_one_awaiting_signatures(db):
    norr = AgreementVersion.objects.filter(agreement__unit__name="Hemtjänst Norr").order_by("number")
    centrum = AgreementVersion.objects.get(agreement__unit__name="Hemtjänst Centrum")

    assert [version.state for version in norr] == [AgreementState.SUPERSEDED, AgreementState.SIGNED]
    first, second = norr
    assert first.signed_at < second.signed_at
    assert second.mandate_items.count() == first.mandate_items.count() + 2
    continuity = {
        version.number: version.boundaries.get(indicator__name="Personalkontinuitet").high for version in norr
    }
    assert continuity[1] == 18.0
    assert continuity[2] < 18.0
    assert (centrum.state, centrum.signatures.count()) == (AgreementState.PROPOSED, 0)


def test_agreements_were_made_in_order_started_proposed_signed(db):
    versions = AgreementVersion.objects.filter(organisation__slug="exempelby").exclude(
        state=AgreementState.DRAFT
    )

    for version in versions:
        assert version.created_at < version.proposed_at
        if version.signed_at is not None:
            assert version.proposed_at < version.signed_at
            assert {signature.signed_at.date() for signature in version.signatures.all()} == {
                version.signed_at.date()
            }
    assert {version.signed_at.year for version in versions if version.signed_at} == {2025}


def test_indicator_boundaries_are_on_the_units_own_indicators(db):
    boundaries = Boundary.objects.filter(
        organisation__slug="exempelby", kind=BoundaryKind.INDICATOR
    ).select_related("indicator", "version__agreement")

    assert boundaries.filter(version__state=AgreementState.SIGNED).count() == 53
    assert all(boundary.indicator.unit_id == boundary.version.agreement.unit_id for boundary in boundaries)


# --- Loaded: the analysis a politician reads -------------------------------------------------------------


def test_hemtjänst_norr_falls_cross_the_agreed_boundary_in_the_latest_month(db):
    falls = result("Hemtjänst Norr", "Fall per 1 000 vårddygn")

    assert falls.latest_period == date(2026, 10, 1)
    assert falls.boundary_high == 15.0
    assert falls.latest_value > 15.0
    assert falls.boundary_crossed
    assert all(value < 15.0 for value in falls.points["values"][-4:-1])  # rising, but inside until now
    assert falls.points["values"][-4] < falls.points["values"][-1]
    assert falls.needs_look


def test_hemtjänst_norr_continuity_improved_and_is_inside_the_frame(db):
    continuity = result("Hemtjänst Norr", "Personalkontinuitet")
    centre = continuity.points["centre"]

    assert centre[-1] < centre[0] - 2  # fewer different staff per user since the fixed teams
    assert not continuity.needs_look


def test_every_indicator_with_data_has_an_analysis_result(db):
    for slug in ("exempelby", "grannby"):
        indicators = Indicator.objects.filter(organisation__slug=slug)

        assert AnalysisResult.objects.filter(organisation__slug=slug).count() == indicators.count()


def test_only_a_minority_of_series_need_a_joint_look_and_each_has_a_story(db):
    results = AnalysisResult.objects.filter(organisation__slug="exempelby")
    looks = results.filter(needs_look=True).select_related("indicator__unit")
    branch = Unit.objects.get(organisation__slug="exempelby", name="Vård- och omsorgsnämnden")

    share = looks.count() / results.count()
    assert 0.04 <= share <= 0.10
    told = {(unit, key) for slug, unit, key in STORIES if slug == "exempelby"}
    names = {(series.unit, series.spec.name): series.spec.key for series in demo_series("exempelby")}
    assert all(
        (look.indicator.unit.name, names[look.indicator.unit.name, look.indicator.name]) in told
        for look in looks
    )
    # The politician of vård och omsorg sees a handful of items for the whole branch, not dozens.
    in_branch = looks.filter(unit_path__startswith=branch.path)
    assert 3 <= in_branch.count() <= 8
    assert results.filter(unit_path__startswith=branch.path).count() > 100


def test_most_boundaries_are_reliably_inside_the_process(db):
    bounded = AnalysisResult.objects.filter(organisation__slug="exempelby").filter(
        Q(boundary_low__isnull=False) | Q(boundary_high__isnull=False)
    )
    assurance = Counter(bounded.values_list("assurance", flat=True))

    # Every indicator boundary in force reaches the analysis.
    assert (
        bounded.count()
        == Boundary.objects.filter(
            organisation__slug="exempelby", kind=BoundaryKind.INDICATOR, version__state=AgreementState.SIGNED
        ).count()
    )
    assert assurance == {1: 43, 2: 10}  # 1 = reliably inside, 2 = hit-or-miss


# --- Grannby ---------------------------------------------------------------------------------------------


def test_grannby_has_a_little_data_of_its_own(db):
    indicators = Indicator.objects.filter(organisation__slug="grannby")

    assert indicators.count() == 6
    assert set(indicators.values_list("unit__organisation__slug", flat=True)) == {"grannby"}
    assert (
        not Observation.objects.filter(organisation__slug="grannby")
        .exclude(indicator__organisation__slug="grannby")
        .exists()
    )
    assert (
        AgreementVersion.objects.filter(organisation__slug="grannby", state=AgreementState.SIGNED).count()
        == 2
    )


def test_grannbys_words_never_appear_in_exempelby(db):
    texts = [
        *Indicator.objects.filter(organisation__slug="exempelby").values_list(
            "name", "definition", "purpose_link"
        ),
        *Narrative.objects.filter(organisation__slug="exempelby").values_list("text"),
        *AgreementVersion.objects.filter(organisation__slug="exempelby").values_list("purpose"),
        *Boundary.objects.filter(organisation__slug="exempelby").values_list("description"),
    ]
    words = " ".join(part for row in texts for part in row).lower()

    assert "hemlig" not in words
    assert "grannby" not in words
    assert "hemlig" in " ".join(
        Indicator.objects.filter(organisation__slug="grannby").values_list("definition", flat=True)
    )


def test_demo_people_can_go_on_with_the_agreements(db, same_unit):
    sofia = person("sofia.lindberg@exempelby.se")
    centrum = AgreementVersion.objects.get(agreement__unit__name="Hemtjänst Centrum")
    centrum_manager = centrum.created_by

    # The level above signs the proposed version, then the unit's manager: it is in force.
    services.agreement_sign(actor=sofia, access=access_for(person=sofia), version=centrum)
    services.agreement_sign(actor=centrum_manager, access=access_for(person=centrum_manager), version=centrum)
    # Hemtjänst Norr's manager starts the next version from the one in force.
    draft = services.agreement_draft(
        actor=same_unit, access=access_for(person=same_unit), unit=Unit.objects.get(name="Hemtjänst Norr")
    )

    centrum.refresh_from_db()
    assert centrum.state == AgreementState.SIGNED
    assert (draft.number, draft.state, draft.boundaries.count()) == (3, AgreementState.DRAFT, 3)
