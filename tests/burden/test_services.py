"""The register's rules: burden per requester and level, candidates to retire, usage counted per unit
(never per person), removal proposals and data requests, and who may do what."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from tests.burden.factories import indicator, requirement
from tests.conftest import person, unit
from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.burden import selectors, services
from tillit.burden.enums import DataRequestState, RemovalAnswer, ReportFrequency, RequesterKind, UsageKind
from tillit.burden.models import UsageDaily
from tillit.chain.access import Access
from tillit.chain.selectors import access_for
from tillit.core.clock import frozen_at
from tillit.dialogue import services as dialogue_services

pytestmark = pytest.mark.integration


@pytest.fixture
def east(db):
    return unit("Hemtjänst Öster")  # no register in the demo: the figures are the test's own


@pytest.fixture
def east_manager(east):
    return services_manager(east)


def services_manager(some_unit):
    from tillit.chain.models import Membership

    return (
        Membership.objects.filter(unit=some_unit, role__can_manage=True, ended_at__isnull=True)
        .select_related("person")
        .first()
        .person
    )


def _reasons(requirements):
    return {c.requirement.name: c.reasons for c in selectors.candidates_of(requirements)}


# --- Burden ---------------------------------------------------------------------------------------------


def test_burden_is_split_per_requester_and_ended_requirements_do_not_count(east):
    requirement(east, name="A", requester="Socialstyrelsen", minutes_each=60)  # 12 h
    requirement(east, name="B", requester="Socialstyrelsen", frequency=ReportFrequency.YEAR, minutes_each=120)
    requirement(east, name="C", requester="IVO", frequency=ReportFrequency.QUARTER, minutes_each=30)  # 2 h
    ended = requirement(east, name="D", requester="IVO", minutes_each=600)
    services.reporting_requirement_end(actor=None, access=Access.system(), requirement=ended)

    burden = selectors.burden_of(ReportingRequirement_all(east))

    assert burden.hours == 16
    assert [(row.requester, row.hours, row.count) for row in burden.by_requester] == [
        ("Socialstyrelsen", 14.0, 2),
        ("IVO", 2.0, 1),
    ]
    assert [row.share for row in burden.by_requester] == [87.5, 12.5]


def ReportingRequirement_all(some_unit):  # noqa: N802 - reads like the model it lists
    from tillit.burden.models import ReportingRequirement

    return list(ReportingRequirement.objects.filter(unit=some_unit).prefetch_related("indicators"))


def test_a_level_sees_its_units_burden_added_up(db):
    department = unit("Hemtjänsten")
    east, west = unit("Hemtjänst Öster"), unit("Hemtjänst Väster")
    requirement(east, name="Öster", minutes_each=60)  # 12
    requirement(west, name="Väster", frequency=ReportFrequency.WEEK, minutes_each=30)  # 26
    sofia = person("sofia.lindberg@exempelby.se")

    requirements = list(selectors.requirements_in_subtree(access=access_for(person=sofia), unit=department))
    burden = selectors.burden_of(requirements)
    by_unit = {u.name: hours for u, hours in burden.by_unit}

    assert by_unit["Hemtjänst Öster"] == 12
    assert by_unit["Hemtjänst Väster"] == 26
    # The demo's Norr (108) and Söder (36) are part of the department too.
    assert burden.hours == 108 + 36 + 12 + 26


# --- Candidates -----------------------------------------------------------------------------------------


def test_a_report_whose_data_nobody_used_for_a_year_is_a_candidate_and_a_used_one_is_not(east):
    used_indicator, unused_indicator = indicator(east, "Använd"), indicator(east, "Oanvänd")
    requirement(east, name="Läses", indicators=[used_indicator])
    requirement(east, name="Läses inte", indicators=[unused_indicator], requester="IVO")
    services.usage_record(indicator_ids=[used_indicator.pk], kind=UsageKind.CHART_VIEW, unit=east)
    with frozen_at(timezone.now() - timedelta(days=400)):
        services.usage_record(
            indicator_ids=[unused_indicator.pk],
            kind=UsageKind.CHART_VIEW,
            unit=east,
        )

    reasons = _reasons(ReportingRequirement_all(east))

    assert "Läses" not in reasons
    assert reasons["Läses inte"] == ["Nobody has opened it or used its data in the last 12 months."]


def test_a_report_opened_or_a_joint_look_on_its_data_counts_as_use(east, east_manager):
    opened, looked = indicator(east, "Öppnad"), indicator(east, "Genomgången")
    by_opening = requirement(east, name="Öppnas", indicators=[opened])
    requirement(east, name="Genomgås", indicators=[looked], requester="IVO")
    services.usage_record(requirement_ids=[by_opening.pk], kind=UsageKind.REPORT_OPENED, unit=None)
    dialogue_services.joint_look_open(
        actor=east_manager, access=Access.system(), unit=east, subject="Titta", indicator=looked
    )

    assert _reasons(ReportingRequirement_all(east)) == {}


def test_an_experiment_watching_its_data_counts_as_use(east, east_manager):
    from tillit.experiments import services as experiment_services

    watched = indicator(east, "Bevakad")
    report = requirement(east, name="Följs i försök", indicators=[watched])
    month_start = timezone.localdate().replace(day=1)
    experiment_services.experiment_create(
        actor=east_manager,
        access=Access.system(),
        unit=east,
        indicators=[watched],
        start_on=month_start - timedelta(days=31),
        study_on=month_start + timedelta(days=62),
        title="Fasta team",
        problem="Många olika medarbetare.",
        change="Fasta team.",
        hypothesis="Bättre kontinuitet.",
        expected="improve",
    )

    assert _reasons(ReportingRequirement_all(east)) == {}
    usage = selectors.requirement_usage(requirement=report)
    assert usage.last_used == timezone.localdate()
    assert usage.used_by == [(east.name, ["Used in an experiment"])]


def test_a_later_report_with_the_same_indicators_or_the_same_name_and_requester_is_a_duplicate(east):
    shared = indicator(east, "Delad")
    requirement(east, name="Original", indicators=[shared])
    requirement(east, name="Kopia", indicators=[shared], requester="Hemtjänsten")
    requirement(east, name="original", requester="Socialstyrelsen", frequency=ReportFrequency.YEAR)
    services.usage_record(indicator_ids=[shared.pk], kind=UsageKind.CHART_VIEW, unit=east)

    reasons = _reasons(ReportingRequirement_all(east))

    assert "Original" not in reasons
    assert reasons["Kopia"] == ["It reports the same as “Original” (Socialstyrelsen)."]
    assert "It reports the same as “Original” (Socialstyrelsen)." in reasons["original"]


def test_a_report_without_indicators_or_with_none_linked_to_a_purpose_has_no_purpose_link(east):
    blank = indicator(east, "Utan syfte", purpose_link="  ")
    requirement(east, name="Tom", requester="IVO")
    requirement(east, name="Osyftad", indicators=[blank], requester="Skolverket")
    services.usage_record(indicator_ids=[blank.pk], kind=UsageKind.CHART_VIEW, unit=east)

    reasons = _reasons(ReportingRequirement_all(east))

    assert "It contains no indicator, so it is linked to no purpose of the unit." in reasons["Tom"]
    assert reasons["Osyftad"] == ["None of its indicators says which purpose it informs."]


# --- Usage ----------------------------------------------------------------------------------------------


def test_usage_is_upserted_one_row_per_day_kind_and_viewing_unit(east):
    data = indicator(east, "Räknad")
    day = timezone.now() - timedelta(days=3)
    with frozen_at(day):
        for _ in range(3):
            services.usage_record(indicator_ids=[data.pk], kind=UsageKind.CHART_VIEW, unit=east)
        services.usage_record(indicator_ids=[data.pk], kind=UsageKind.INDICATOR_PAGE_VIEW, unit=east)
        services.usage_record(indicator_ids=[data.pk], kind=UsageKind.CHART_VIEW, unit=east.parent)

    rows = UsageDaily.objects.filter(indicator_key=data.pk).order_by("kind", "viewer_unit_key")

    assert [(row.kind, row.viewer_unit_key, row.count) for row in rows] == [
        ("chart_view", east.parent_id, 1),
        ("chart_view", east.pk, 3),
        ("indicator_page_view", east.pk, 1),
    ]
    assert {row.organisation_id for row in rows} == {east.organisation_id}


def test_the_usage_table_has_no_column_for_a_person():
    columns = {field.column for field in UsageDaily._meta.get_fields() if hasattr(field, "column")}

    assert columns == {
        "id",
        "organisation_id",
        "indicator_key",
        "requirement_key",
        "viewer_unit_key",
        "day",
        "kind",
        "count",
    }


def test_usage_of_an_unknown_indicator_records_nothing_and_does_not_fail(db):
    services.usage_record(indicator_ids=[987654321], kind=UsageKind.CHART_VIEW)

    assert not UsageDaily.objects.filter(indicator_key=987654321).exists()


def test_recording_usage_is_one_statement(east, django_assert_max_num_queries):
    data = [indicator(east, f"Mått {n}") for n in range(5)]

    with django_assert_max_num_queries(3):  # the upsert, inside a savepoint and its release
        services.usage_record(indicator_ids=[i.pk for i in data], kind=UsageKind.CHART_VIEW, unit=east)

    assert UsageDaily.objects.filter(indicator_key__in=[i.pk for i in data]).count() == 5


def test_last_used_and_used_by_name_units_and_kinds(east, django_assert_num_queries):
    data = indicator(east, "Följd")
    with frozen_at(timezone.now() - timedelta(days=9)):
        services.usage_record(indicator_ids=[data.pk], kind=UsageKind.CHART_VIEW, unit=east)
    services.usage_record(indicator_ids=[data.pk], kind=UsageKind.INDICATOR_PAGE_VIEW, unit=east.parent)

    with django_assert_num_queries(1):
        usage = selectors.indicator_usage(indicator=data)

    assert usage.last_used == timezone.localdate()
    assert usage.used_by == [
        ("Hemtjänst Öster", ["Chart viewed in follow-up"]),
        ("Hemtjänsten", ["Indicator page viewed"]),
    ]


def test_the_viewing_unit_is_the_own_unit_or_the_viewers_unit_above(east, east_manager):
    sofia = person("sofia.lindberg@exempelby.se")
    per = person("per.sandberg@exempelby.se")  # reads the whole organisation, is member at the top

    assert access_for(person=east_manager).viewer_unit(east) == east.pk
    assert access_for(person=sofia).viewer_unit(east) == east.parent_id
    assert access_for(person=per).viewer_unit(east) == unit("Kommunfullmäktige").pk


# --- Removal proposals ----------------------------------------------------------------------------------


def test_a_chain_requester_answers_remove_and_the_hours_leave_the_burden(east, east_manager):
    department = east.parent
    weekly = requirement(
        east,
        name="Veckorapport",
        requester_kind=RequesterKind.CHAIN_LEVEL,
        requester_unit=department,
        requester="",
        frequency=ReportFrequency.WEEK,
        minutes_each=30,
    )
    proposal = services.removal_propose(
        actor=east_manager,
        access=access_for(person=east_manager),
        requirement=weekly,
        reason="Ingen läser den",
    )
    sofia = person("sofia.lindberg@exempelby.se")

    with pytest.raises(PermissionDenied):  # the unit itself does not answer its own proposal
        services.removal_answer(
            actor=east_manager,
            access=access_for(person=east_manager),
            proposal=proposal,
            answer=RemovalAnswer.REMOVE,
            answer_text="Ja",
        )
    services.removal_answer(
        actor=sofia,
        access=access_for(person=sofia),
        proposal=proposal,
        answer="remove",
        answer_text="Vi slutar.",
    )

    weekly.refresh_from_db()
    assert weekly.requester == "Hemtjänsten"
    assert proposal.deadline == timezone.localdate() + timedelta(days=30)
    assert proposal.answered_by_text == "Sofia Lindberg"
    assert weekly.ended_at is not None
    assert selectors.burden_of(ReportingRequirement_all(east)).hours == 0
    actions = set(AuditEvent.objects.filter(unit=east).values_list("action", flat=True))
    assert {
        AuditAction.REPORTING_REQUIREMENT_CREATED,
        AuditAction.REMOVAL_PROPOSED,
        AuditAction.REMOVAL_ANSWERED,
        AuditAction.REPORTING_REQUIREMENT_ENDED,
    } <= actions


def test_an_external_answer_is_recorded_by_the_unit_with_who_and_when_and_keep_keeps_it(east, east_manager):
    ivo = requirement(east, name="Till IVO", requester_kind=RequesterKind.REGULATOR, requester="IVO")
    access = access_for(person=east_manager)
    proposal = services.removal_propose(actor=east_manager, access=access, requirement=ivo, reason="Dubbelt")

    with pytest.raises(ValidationError):  # who answered at IVO is required
        services.removal_answer(
            actor=east_manager, access=access, proposal=proposal, answer="keep", answer_text="Lagkrav"
        )
    services.removal_answer(
        actor=east_manager,
        access=access,
        proposal=proposal,
        answer="keep",
        answer_text="Lagkrav enligt SoL.",
        answered_by_text="Handläggare på IVO",
        answered_on=date(2026, 5, 4),
    )

    ivo.refresh_from_db()
    assert ivo.ended_at is None
    assert proposal.answered_by_text == "Handläggare på IVO"
    assert timezone.localdate(proposal.answered_at) == date(2026, 5, 4)


def test_a_proposal_past_its_deadline_is_overdue_and_only_one_waits_at_a_time(east, east_manager):
    report = requirement(east, name="Gammal")
    proposal = services.removal_propose(
        actor=east_manager,
        access=Access.system(),
        requirement=report,
        reason="Ingen läser",
        deadline=timezone.localdate() - timedelta(days=1),
    )

    assert selectors.is_overdue(proposal)
    with frozen_at(timezone.now() - timedelta(days=2)):
        assert not selectors.is_overdue(proposal)
    with pytest.raises(ValidationError):
        services.removal_propose(
            actor=east_manager, access=Access.system(), requirement=report, reason="Igen"
        )


# --- Data requests --------------------------------------------------------------------------------------


def test_working_days_count_weekdays_after_the_day_asked():
    monday = date(2026, 11, 2)

    assert selectors.working_days_between(monday, monday) == 0
    assert selectors.working_days_between(monday, date(2026, 11, 6)) == 4  # Friday
    assert selectors.working_days_between(date(2026, 11, 6), date(2026, 11, 9)) == 1  # Fri → Mon
    assert selectors.working_days_between(monday, date(2026, 11, 11)) == 7  # next Wednesday


def test_a_support_function_answers_a_data_request_and_the_lead_time_is_shown(east, east_manager):
    analysis = unit("Analys och uppföljning")
    analyst = services_writer(analysis)
    asked = timezone.make_aware(timezone.datetime(2026, 11, 2, 9))
    with frozen_at(asked):
        request = services.data_request_create(
            actor=east_manager,
            access=access_for(person=east_manager),
            unit=east,
            to_unit=analysis,
            what="Besök per timme",
            why="Planera turer",
        )

    with pytest.raises(PermissionDenied):
        services.data_request_answer(
            actor=east_manager, access=access_for(person=east_manager), request=request, answer="Här"
        )
    with frozen_at(asked + timedelta(days=3)):
        services.data_request_answer(
            actor=analyst,
            access=access_for(person=analyst),
            request=request,
            answer="Här är de.",
        )

    assert request.state == DataRequestState.ANSWERED
    assert selectors.lead_time(request) == 3
    assert (
        selectors.data_request_get_readable(access=access_for(person=analyst), request_id=request.pk)
        == request
    )
    with pytest.raises(ValidationError):
        services.data_request_answer(actor=analyst, access=Access.system(), request=request, answer="Igen")


def services_writer(some_unit):
    from tillit.chain.models import Membership

    return (
        Membership.objects.filter(unit=some_unit, role__can_write=True, ended_at__isnull=True)
        .select_related("person")
        .first()
        .person
    )


# --- Access and tenants ---------------------------------------------------------------------------------


def test_only_the_units_own_people_register_and_others_in_the_chain_read(east, east_manager):
    sofia = person("sofia.lindberg@exempelby.se")
    leila = person("leila.hassan@exempelby.se")
    report = requirement(east, name="Läsbar")

    with pytest.raises(PermissionDenied):
        requirement_by(sofia, east)
    assert (
        selectors.requirement_get_readable(access=access_for(person=sofia), requirement_id=report.pk)
        == report
    )
    with pytest.raises(Http404):
        selectors.requirement_get_readable(access=access_for(person=leila), requirement_id=report.pk)
    assert requirement_by(east_manager, east).unit == east


def requirement_by(someone, some_unit):
    return services.reporting_requirement_create(
        actor=someone,
        access=access_for(person=someone),
        unit=some_unit,
        name="Ny",
        description="",
        requester_kind=RequesterKind.OTHER,
        requester="Någon",
        requester_unit=None,
        legal_basis="",
        frequency=ReportFrequency.YEAR,
        times_per_year=None,
        minutes_each=10,
        readers="",
        starts_on=None,
        ends_on=None,
    )


def test_another_organisations_register_and_usage_never_count_here(east, other_organisation):
    grannby = unit("Hemtjänst Grannby", "grannby")
    theirs = indicator(grannby, "Delad")
    ours = indicator(east, "Delad")
    requirement(grannby, name="Samma", indicators=[theirs])
    requirement(east, name="Samma", indicators=[ours])
    services.usage_record(indicator_ids=[theirs.pk], kind=UsageKind.CHART_VIEW, unit=grannby)

    johan = person("johan.nystrom@exempelby.se")
    reasons = _reasons(ReportingRequirement_all(east))

    assert reasons["Samma"] == ["Nobody has opened it or used its data in the last 12 months."]
    assert UsageDaily.objects.get(indicator_key=theirs.pk).organisation_id == grannby.organisation_id
    with pytest.raises(Http404):
        selectors.requirement_get_readable(
            access=access_for(person=johan), requirement_id=ReportingRequirement_all(grannby)[0].pk
        )
    with pytest.raises(ValidationError):  # an indicator of another organisation cannot be put in
        requirement(east, name="Lånad", indicators=[theirs])
    assert connection.vendor in {"sqlite", "postgresql"}
