"""Reads of trust agreements: boundaries in force, the diff between versions, the unit page summary."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.agreements.factories import indicator, person, signed_agreement
from tests.conftest import unit
from tillit.agreements import diff, selectors, services
from tillit.agreements.services import BoundaryInput, PromiseInput
from tillit.chain.access import Access
from tillit.chain.models import Unit

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("without_agreements")]


@pytest.fixture
def sofia(db):
    return person("sofia.lindberg@exempelby.se")


def test_boundaries_in_force_gives_low_and_high_per_indicator_in_one_query(
    same_unit, sofia, home_care_north, django_assert_num_queries
):
    falls = indicator(home_care_north)
    continuity = indicator(home_care_north, name="Personalkontinuitet")
    unbounded = indicator(home_care_north, name="Nöjdhet")
    signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[
            BoundaryInput(kind="indicator", indicator=falls, high=12.5),
            BoundaryInput(kind="indicator", indicator=continuity, low=8, high=20),
        ],
    )

    with django_assert_num_queries(1):
        bounds = selectors.boundaries_in_force(
            organisation_id=home_care_north.organisation_id,
            indicator_ids=[falls.pk, continuity.pk, unbounded.pk],
        )

    assert bounds == {falls.pk: (None, 12.5), continuity.pk: (8.0, 20.0)}


def test_boundaries_of_drafts_and_superseded_versions_do_not_count(same_unit, sofia, home_care_north):
    falls = indicator(home_care_north)
    signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[BoundaryInput(kind="indicator", indicator=falls, high=10)],
    )
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit,
        access=Access.system(),
        version=draft,
        boundaries=[BoundaryInput(kind="indicator", indicator=falls, high=99)],
    )
    organisation_id = home_care_north.organisation_id

    while_drafting = selectors.boundaries_in_force(organisation_id=organisation_id, indicator_ids=[falls.pk])
    services.agreement_propose(actor=same_unit, access=Access.system(), version=draft)
    services.agreement_sign(actor=same_unit, access=Access.system(), version=draft)
    services.agreement_sign(actor=sofia, access=Access.system(), version=draft)
    after_signing = selectors.boundaries_in_force(organisation_id=organisation_id, indicator_ids=[falls.pk])

    assert while_drafting == {falls.pk: (None, 10.0)}
    assert after_signing == {falls.pk: (None, 99.0)}


def test_boundaries_in_force_stay_inside_the_organisation(same_unit, sofia, home_care_north):
    falls = indicator(home_care_north)
    signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[BoundaryInput(kind="indicator", indicator=falls, high=10)],
    )
    grannby = unit("Hemtjänst Grannby", "grannby")

    assert (
        selectors.boundaries_in_force(organisation_id=grannby.organisation_id, indicator_ids=[falls.pk]) == {}
    )


def test_an_agreement_with_a_former_parent_no_longer_binds(same_unit, sofia, home_care_north):
    falls = indicator(home_care_north)
    signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[BoundaryInput(kind="indicator", indicator=falls, high=10)],
    )
    Unit.objects.filter(pk=home_care_north.pk).update(parent=unit("Vård- och omsorgsförvaltningen"))

    bounds = selectors.boundaries_in_force(
        organisation_id=home_care_north.organisation_id, indicator_ids=[falls.pk]
    )

    assert bounds == {}


def _versions(same_unit, sofia, home_care_north):
    falls = indicator(home_care_north)
    continuity = indicator(home_care_north, name="Personalkontinuitet")
    old = signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[
            BoundaryInput(kind="indicator", indicator=falls, high=12.5),
            BoundaryInput(kind="qualitative", description="Ett besök uteblir"),
        ],
    )
    new = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit,
        access=Access.system(),
        version=new,
        purpose="Trygghet hemma, på egna villkor.",
        review_date=old.review_date + timedelta(days=30),
        mandate_items=["Hur vi planerar dagens besök", "Hur vi fördelar helgerna"],
        boundaries=[
            BoundaryInput(kind="indicator", indicator=falls, high=10),
            BoundaryInput(kind="indicator", indicator=continuity, low=8),
            BoundaryInput(kind="qualitative", description="Ett besök uteblir utan besked"),
        ],
        support_promises=[],
    )
    return old, new


def test_the_diff_shows_each_section_with_added_removed_and_changed_items(same_unit, sofia, home_care_north):
    old, new = _versions(same_unit, sofia, home_care_north)
    old = selectors.agreement_version_get_readable(access=services_access(same_unit), version_id=old.pk)
    new = selectors.agreement_version_get_readable(access=services_access(same_unit), version_id=new.pk)

    with translation.override("en"):
        result = selectors.agreement_version_diff(old=old, new=new)

    assert result.changed
    assert [(s.kind, s.text) for s in result.purpose.segments] == [
        ("equal", "Trygghet "),
        ("removed", "hemma."),
        ("added", "hemma, på egna villkor."),
    ]
    assert [(c.kind, c.new_text) for c in result.mandate_items] == [
        ("unchanged", "Hur vi planerar dagens besök"),
        ("added", "Hur vi fördelar helgerna"),
    ]
    assert [(c.kind, c.old_text, c.new_text) for c in result.boundaries] == [
        (
            "changed",
            "Fall per 1000 besöksdagar: off-limits above 12.5",
            "Fall per 1000 besöksdagar: off-limits above 10",
        ),
        ("added", "", "Personalkontinuitet: off-limits below 8"),
        ("changed", "Ett besök uteblir", "Ett besök uteblir utan besked"),
    ]
    assert [(c.kind, c.old_text) for c in result.support_promises] == [
        ("removed", "Vi svarar på hinder (answer within 10 working days)")
    ]
    assert result.review_date_changed
    assert result.counts("boundaries") == {"added": 1, "removed": 0, "changed": 2}


def services_access(person_):
    from tillit.chain.selectors import access_for

    return access_for(person=person_)


def test_the_word_diff_keeps_the_text_readable():
    result = diff.word_diff("Vi kommer när vi sagt.", "Vi kommer alltid när vi har sagt.")

    assert [(s.kind, s.text) for s in result.segments] == [
        ("equal", "Vi kommer "),
        ("added", "alltid "),
        ("equal", "när vi "),
        ("added", "har "),
        ("equal", "sagt."),
    ]
    assert (
        "".join(s.text for s in result.segments if s.kind != "removed") == "Vi kommer alltid när vi har sagt."
    )


def test_identical_versions_have_no_changes(same_unit, sofia, home_care_north):
    old = signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)
    new = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit, access=Access.system(), version=new, purpose=old.purpose
    )

    result = selectors.agreement_version_diff(old=old, new=new)

    assert not result.changed


def test_the_unit_summary_reads_the_agreement_and_overdue_ones_below_in_one_query(
    same_unit, sofia, home_care_north, django_assert_num_queries
):
    signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)
    hemtjansten = unit("Hemtjänsten")

    with django_assert_num_queries(1):
        below = selectors.unit_agreement_summary(unit=hemtjansten)
    with django_assert_num_queries(1):
        own = selectors.unit_agreement_summary(unit=home_care_north)

    assert own.in_force is not None
    assert own.open_version is None
    assert not own.overdue
    assert below.overdue_below == []  # in force and not yet due


def test_an_agreement_past_its_review_date_is_overdue_on_both_units(same_unit, sofia, home_care_north):
    version = signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)
    version.review_date = timezone.localdate() - timedelta(days=1)
    version.save(update_fields=["review_date"])

    own = selectors.unit_agreement_summary(unit=home_care_north)
    above = selectors.unit_agreement_summary(unit=unit("Hemtjänsten"))
    two_above = selectors.unit_agreement_summary(unit=unit("Vård- och omsorgsförvaltningen"))

    assert own.overdue
    assert selectors.review_overdue(version)
    assert [v.pk for v in above.overdue_below] == [version.pk]
    assert two_above.overdue_below == []  # only the units directly below


def test_the_top_of_the_chain_has_no_agreement_above():
    summary = selectors.unit_agreement_summary(unit=unit("Kommunfullmäktige"))

    assert not summary.has_upper
    assert summary.in_force is None


def test_the_open_version_is_shown_beside_the_one_in_force(same_unit, sofia, home_care_north):
    in_force = signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit,
        access=Access.system(),
        version=draft,
        support_promises=[PromiseInput(text="Nytt löfte")],
    )

    summary = selectors.unit_agreement_summary(unit=home_care_north)

    assert (summary.in_force.pk, summary.open_version.pk) == (in_force.pk, draft.pk)


def test_versions_proposed_by_the_units_below_wait_on_the_upper_units_summary(same_unit, home_care_north):
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit,
        access=Access.system(),
        version=draft,
        review_date=timezone.localdate() + timedelta(days=100),
        mandate_items=["Hur vi planerar dagens besök"],
    )
    hemtjansten = unit("Hemtjänsten")
    while_drafting = selectors.unit_agreement_summary(unit=hemtjansten).proposed_below
    services.agreement_propose(actor=same_unit, access=Access.system(), version=draft)

    summary = selectors.unit_agreement_summary(unit=hemtjansten)

    assert while_drafting == []
    assert [v.pk for v in summary.proposed_below] == [draft.pk]
    assert summary.overdue_below == []
