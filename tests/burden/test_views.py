"""The register's pages: the burden, its candidates, proposals answered along the chain, data requests,
and usage recorded by the indicator and follow-up pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.burden.factories import requirement
from tests.conftest import person, unit
from tillit.burden import services
from tillit.burden.enums import UsageKind
from tillit.burden.models import DataRequest, RemovalProposal, ReportingRequirement, UsageDaily
from tillit.chain.access import Access
from tillit.indicators.models import Indicator

pytestmark = pytest.mark.integration


def _text(response) -> str:
    return response.content.decode()


def test_the_reporting_page_shows_hours_by_requester_and_why_each_candidate_could_go(
    client, same_unit, home_care_north
):
    client.force_login(same_unit)

    page = _text(client.get(reverse("burden:unit-reporting", args=[home_care_north.pk])))

    assert "108 timmar per år, ungefär 9,0 timmar i månaden." in page
    assert "<caption>Timmar per år per beställare</caption>" in page
    assert page.count("Ingen har öppnat den eller använt dess data de senaste 12 månaderna.") == 2
    assert "Den rapporterar samma sak som ”Månadsrapport till förvaltningen”" in page


def test_a_unit_registers_a_requirement_and_its_page_shows_its_hours(client, colleague, home_care_north):
    client.force_login(colleague)
    continuity = Indicator.objects.get(unit=home_care_north, name="Personalkontinuitet")

    response = client.post(
        reverse("burden:requirement-create", args=[home_care_north.pk]),
        {
            "name": "Kvartalsenkät",
            "requester_kind": "other",
            "requester": "Regionen",
            "frequency": "ad_hoc",
            "times_per_year": "6",
            "minutes_each": "50",
            "indicators": [continuity.pk],
        },
    )
    created = ReportingRequirement.objects.get(unit=home_care_north, name="Kvartalsenkät")
    page = _text(client.get(created.get_absolute_url()))

    assert response.status_code == 302
    assert created.hours_per_year == 5
    assert "<dd>5,0</dd>" in page


def test_an_ad_hoc_requirement_without_times_a_year_is_refused_on_the_form(
    client, same_unit, home_care_north
):
    client.force_login(same_unit)

    response = client.post(
        reverse("burden:requirement-create", args=[home_care_north.pk]),
        {
            "name": "X",
            "requester_kind": "other",
            "requester": "Y",
            "frequency": "ad_hoc",
            "minutes_each": "5",
        },
    )

    assert response.status_code == 200
    assert "uppskatta hur många gånger per år" in _text(response)


def test_the_requester_answers_remove_on_its_page_and_the_hours_drop(client, same_unit, home_care_north):
    weekly = ReportingRequirement.objects.get(
        unit=home_care_north, name="Veckorapport om beläggning och vakanser"
    )
    client.force_login(same_unit)
    client.post(reverse("burden:removal-propose", args=[weekly.pk]), {"reason": "Ingen läser den."})
    proposal = RemovalProposal.objects.get(requirement=weekly, answer="")
    sofia = person("sofia.lindberg@exempelby.se")

    assert client.get(reverse("burden:proposal-answer", args=[proposal.pk])).status_code == 403
    client.force_login(sofia)
    waiting = _text(client.get(reverse("burden:unit-reporting", args=[home_care_north.parent_id])))
    client.post(
        reverse("burden:proposal-answer", args=[proposal.pk]),
        {"answer": "remove", "answer_text": "Vi tar siffrorna ur planeringssystemet."},
    )
    client.force_login(same_unit)
    page = _text(client.get(reverse("burden:unit-reporting", args=[home_care_north.pk])))

    assert "Väntar på ert svar" in waiting
    assert "69 timmar per år" in page


def test_a_data_request_is_answered_by_the_support_function_and_its_lead_time_shown(
    client, same_unit, home_care_north
):
    request = DataRequest.objects.get(unit=home_care_north, state="open")
    support = request.to_unit
    technician = support.memberships.filter(ended_at__isnull=True).first().person
    client.force_login(same_unit)

    refused = client.post(request.get_absolute_url(), {"answer": "Här"})
    client.force_login(technician)
    client.post(request.get_absolute_url(), {"answer": "Rapporten finns nu i larmsystemet."})
    request.refresh_from_db()
    client.force_login(same_unit)
    listing = _text(client.get(reverse("burden:unit-data-requests", args=[home_care_north.pk])))

    assert refused.status_code == 403
    assert request.state == "answered"
    assert "4 arbetsdagar" in listing


def test_the_indicator_page_shows_last_used_and_counts_the_view_for_the_viewing_unit(
    client, same_unit, home_care_north
):
    missed = Indicator.objects.get(unit=home_care_north, name="Missade besök")
    client.force_login(same_unit)
    before = UsageDaily.objects.filter(
        indicator_key=missed.pk, kind=UsageKind.INDICATOR_PAGE_VIEW, viewer_unit_key=home_care_north.pk
    ).count()

    page = _text(client.get(missed.get_absolute_url()))

    assert "Senast använd" in page
    assert "Vård- och omsorgsförvaltningen" in page
    row = UsageDaily.objects.get(
        indicator_key=missed.pk, kind=UsageKind.INDICATOR_PAGE_VIEW, viewer_unit_key=home_care_north.pk
    )
    assert before == 0
    assert row.count == 1


def test_the_follow_up_page_counts_one_chart_view_per_shown_chart(client, colleague, home_care_north):
    client.force_login(colleague)
    charts = UsageDaily.objects.filter(kind=UsageKind.CHART_VIEW, viewer_unit_key=home_care_north.pk)
    before = sum(charts.values_list("count", flat=True))

    page = _text(client.get(reverse("followup:unit-followup", args=[home_care_north.pk])))

    after = sum(charts.values_list("count", flat=True))
    assert after - before == page.count('<figure class="chart"') > 0


def test_the_unit_page_links_to_the_register(client, colleague, home_care_north):
    client.force_login(colleague)

    page = _text(client.get(home_care_north.get_absolute_url()))

    assert reverse("burden:unit-reporting", args=[home_care_north.pk]) in page
    assert reverse("burden:unit-data-requests", args=[home_care_north.pk]) in page


def test_a_requirement_of_another_organisation_is_not_found(client, other_organisation, home_care_north):
    weekly = ReportingRequirement.objects.filter(unit=home_care_north).first()
    client.force_login(other_organisation)

    assert client.get(weekly.get_absolute_url()).status_code == 404
    assert client.get(reverse("burden:unit-reporting", args=[unit("Hemtjänsten").pk])).status_code == 404


def test_changing_a_requirement_on_its_page_keeps_its_reading_units_and_is_audited(
    client, same_unit, home_care_north
):
    from tillit.audit.models import AuditEvent

    monthly = ReportingRequirement.objects.get(unit=home_care_north, name="Månadsrapport till förvaltningen")
    client.force_login(same_unit)
    form = client.get(reverse("burden:requirement-edit", args=[monthly.pk])).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None}
    data["minutes_each"] = "120"
    data["indicators"] = [indicator.pk for indicator in monthly.indicators.all()]

    response = client.post(reverse("burden:requirement-edit", args=[monthly.pk]), data)
    monthly.refresh_from_db()

    assert response.status_code == 302
    assert monthly.hours_per_year == 24
    assert [u.name for u in monthly.reader_units.all()] == ["Vård- och omsorgsförvaltningen"]
    event = AuditEvent.objects.filter(action="reporting_requirement.updated").latest("pk")
    assert (event.before["minutes_each"], event.after["minutes_each"]) == (180, 120)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_reporting_and_data_request_pages_query_count_does_not_grow(client, same_unit, home_care_north):
    client.force_login(same_unit)
    pages = [
        reverse("burden:unit-reporting", args=[home_care_north.pk]),
        reverse("burden:unit-data-requests", args=[home_care_north.pk]),
    ]
    client.get(pages[0])  # warm the session
    small = [_queries(client, url) for url in pages]
    watched = list(Indicator.objects.filter(unit=home_care_north).order_by("pk")[:3])
    for number in range(15):
        report = requirement(home_care_north, actor=same_unit, name=f"Rapport {number}", indicators=watched)
        services.removal_propose(
            actor=same_unit, access=Access.system(), requirement=report, reason="Används inte"
        )
        services.data_request_create(
            actor=same_unit,
            access=Access.system(),
            unit=home_care_north,
            to_unit=unit("Analys och uppföljning"),
            what=f"Data {number}",
            why="För att förstå",
        )
    large = [_queries(client, url) for url in pages]

    assert large == small
    # The burden: its requirements with their indicators, usage, looks and experiments, and the proposals
    # awaiting the unit; the data requests: one query for both lists (and the navigation's unread count).
    assert small <= [13, 8]
