"""The demo's reporting-burden register tells its story in figures."""

import pytest
from django.utils import translation

from tests.conftest import person, unit
from tillit.burden import selectors
from tillit.burden.enums import DataRequestState, RemovalAnswer
from tillit.burden.models import DataRequest, RemovalProposal, ReportingRequirement
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration


def _norr():
    johan = person("johan.nystrom@exempelby.se")
    norr = unit("Hemtjänst Norr")
    requirements = list(selectors.requirements_in_subtree(access=access_for(person=johan), unit=norr))
    return norr, requirements


def test_hemtjanst_norr_spends_nine_hours_a_month_on_reports(db):
    _norr_unit, requirements = _norr()
    burden = selectors.burden_of(requirements)

    assert burden.hours == 108
    assert burden.hours_per_month == 9
    assert [(row.requester, row.hours) for row in burden.by_requester] == [
        ("Hemtjänsten", 51.0),
        ("Vård- och omsorgsförvaltningen", 36.0),
        ("Kommunstyrelsen", 12.0),
        ("Socialstyrelsen", 6.0),
        ("IVO", 3.0),
    ]


def test_two_reports_are_never_read_and_one_is_a_duplicate(db):
    _norr_unit, requirements = _norr()
    with translation.override("en"):
        candidates = {c.requirement.name: c.reasons for c in selectors.candidates_of(requirements)}

    assert sorted(candidates) == [
        "Avvikelserapport till avdelningen",
        "Rapport om ej verkställda beslut",
        "Veckorapport om beläggning och vakanser",
    ]
    never_read = [name for name, reasons in candidates.items() if any("12 months" in r for r in reasons)]
    assert sorted(never_read) == [
        "Rapport om ej verkställda beslut",
        "Veckorapport om beläggning och vakanser",
    ]
    assert "Månadsrapport till förvaltningen" in candidates["Avvikelserapport till avdelningen"][0]


def test_one_removal_was_answered_remove_and_one_waits_for_ivo(db):
    proposals = RemovalProposal.objects.filter(requirement__unit__name="Hemtjänst Norr")
    removed = proposals.get(answer=RemovalAnswer.REMOVE)
    waiting = proposals.get(answer="")

    assert removed.requirement.name == "Sjukfrånvaro per vecka"
    assert removed.requirement.ended_at is not None
    assert waiting.requirement.requester == "IVO"
    assert not selectors.is_overdue(waiting)


def test_the_used_reports_have_a_year_of_usage(db):
    monthly = ReportingRequirement.objects.get(
        unit__name="Hemtjänst Norr", name="Månadsrapport till förvaltningen"
    )
    usage = selectors.requirement_usage(requirement=monthly)

    assert usage.last_used is not None
    names = [name for name, _kinds in usage.used_by]
    assert {"Hemtjänst Norr", "Hemtjänsten", "Vård- och omsorgsförvaltningen"} <= set(names)


def test_data_requests_have_lead_times_and_one_is_open(db):
    requests = DataRequest.objects.filter(organisation__slug="exempelby")

    assert requests.count() == 3
    assert requests.filter(state=DataRequestState.OPEN).get().to_unit.name == "IT-support"
    lead_times = sorted(selectors.lead_time(r) for r in requests.filter(state=DataRequestState.ANSWERED))
    assert lead_times == [4, 7]


def test_the_levels_above_see_their_units_burden_together(db):
    sofia = person("sofia.lindberg@exempelby.se")
    department = unit("Hemtjänsten")
    requirements = selectors.requirements_in_subtree(access=access_for(person=sofia), unit=department)
    burden = selectors.burden_of(requirements)

    assert burden.hours == 108 + 30 + 6
    assert [(u.name, hours) for u, hours in burden.by_unit] == [
        ("Hemtjänst Norr", 108),
        ("Hemtjänst Söder", 36),
    ]
