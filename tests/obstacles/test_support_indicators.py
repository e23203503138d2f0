"""Lead times become the receiving unit's support indicators: mean working days per month."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from tillit.chain.access import Access
from tillit.chain.models import Membership
from tillit.core.clock import frozen_at
from tillit.indicators.enums import Direction, Origin
from tillit.indicators.models import Observation
from tillit.obstacles import services
from tillit.obstacles.enums import SupportKind
from tillit.obstacles.models import SupportIndicator

from .factories import unit

pytestmark = pytest.mark.integration


def _at(y, m, d, hour=9):
    return datetime(y, m, d, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def people(db):
    bjorkgarden, sarskilt = unit("Björkgården"), unit("Särskilt boende")
    staff = Membership.objects.filter(unit=bjorkgarden, role__name="Medarbetare").first().person
    head = Membership.objects.filter(unit=sarskilt, role__name="Avdelningschef").first().person
    return bjorkgarden, sarskilt, staff, head


def _raise(staff, where, title, at):
    with frozen_at(at):
        return services.obstacle_raise(actor=staff, access=Access.system(), unit=where, title=title)


def _answer(service, at, **kwargs):
    """The receiving unit's step at `at` (a past moment), as Tillit itself."""
    with frozen_at(at):
        return service(access=Access.system(), **kwargs)


def test_the_monthly_means_are_the_hand_computed_working_days(people):
    bjorkgarden, sarskilt, staff, head = people
    a = _raise(staff, bjorkgarden, "Liftarna är för få", _at(2026, 3, 2))  # Monday
    _answer(services.obstacle_acknowledge, _at(2026, 3, 5), actor=head, obstacle=a)  # 3 working days
    _answer(services.obstacle_remove, _at(2026, 3, 16), actor=head, obstacle=a, text="Två liftar till.")  # 10
    b = _raise(staff, bjorkgarden, "Nattlarmen hörs inte", _at(2026, 3, 6))  # Friday
    _answer(services.obstacle_acknowledge, _at(2026, 3, 16), actor=head, obstacle=b)  # 6 working days
    c = _raise(staff, bjorkgarden, "Matvagnen kommer för sent", _at(2026, 4, 1))  # Wednesday before Easter
    # Långfredagen (3 April) and annandag påsk (6 April) do not count: 2, 7 and 8 April are 3 days.
    _answer(services.obstacle_decline, _at(2026, 4, 8), actor=head, obstacle=c, text="Köket styr tiden.")

    written = services.support_indicators_refresh(
        organisation_id=sarskilt.organisation_id, unit_ids=[sarskilt.pk]
    )

    assert len(written[sarskilt.pk]) == 2
    mapping = {m.kind: m.indicator for m in SupportIndicator.objects.filter(unit=sarskilt)}
    ack, removal = mapping[SupportKind.ACKNOWLEDGEMENT], mapping[SupportKind.REMOVAL]
    assert (ack.name, removal.name) == (
        "Hinder: arbetsdagar till bekräftelse",
        "Hinder: arbetsdagar till undanröjt hinder",
    )
    assert (ack.origin, ack.direction, ack.frequency, ack.measure_label) == (
        Origin.PLATFORM,
        Direction.DOWN,
        "month",
        "arbetsdagar",
    )

    def values(indicator):
        return dict(Observation.objects.filter(indicator=indicator).values_list("period", "value"))

    assert values(ack) == {date(2026, 3, 1): 4.5, date(2026, 4, 1): 3.0}
    assert values(removal) == {date(2026, 3, 1): 10.0}
    assert Observation.objects.filter(indicator=ack).first().recorded_by is None  # Tillit wrote it


def test_refreshing_again_changes_nothing_and_a_pass_up_counts_for_the_unit_that_answered(people):
    bjorkgarden, sarskilt, staff, head = people
    a = _raise(staff, bjorkgarden, "Journalsystemet är segt", _at(2026, 5, 4))
    _answer(
        services.obstacle_pass_up, _at(2026, 5, 6), actor=head, obstacle=a, text="Systemet är förvaltningens."
    )
    services.support_indicators_refresh(organisation_id=sarskilt.organisation_id, unit_ids=[sarskilt.pk])
    services.support_indicators_refresh(organisation_id=sarskilt.organisation_id, unit_ids=[sarskilt.pk])
    ack = SupportIndicator.objects.get(unit=sarskilt, kind=SupportKind.ACKNOWLEDGEMENT).indicator
    assert list(Observation.objects.filter(indicator=ack).values_list("period", "value")) == [
        (date(2026, 5, 1), 2.0)
    ]
    assert not SupportIndicator.objects.filter(unit=sarskilt, kind=SupportKind.REMOVAL).exists()


def test_the_indicators_appear_on_the_receiving_units_follow_up_page(client, people):
    bjorkgarden, sarskilt, staff, head = people
    a = _raise(staff, bjorkgarden, "Dörrarna låser sig", _at(2026, 6, 1))
    _answer(services.obstacle_acknowledge, _at(2026, 6, 3), actor=head, obstacle=a)
    services.support_indicators_refresh(organisation_id=sarskilt.organisation_id, unit_ids=[sarskilt.pk])
    client.force_login(head)
    body = client.get(f"/units/{sarskilt.pk}/follow-up/").content.decode()
    assert "Hinder: arbetsdagar till bekräftelse" in body
    listing = client.get(f"/units/{sarskilt.pk}/obstacles/").content.decode()
    assert "Hur snabbt svarar vi?" in listing
    assert f"/units/{sarskilt.pk}/follow-up/#indicator-" in listing


def test_acknowledging_queues_the_refresh_on_commit(people, django_capture_on_commit_callbacks):
    bjorkgarden, _sarskilt, staff, head = people
    a = _raise(staff, bjorkgarden, "Tvättstugan", _at(2026, 6, 1))
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.obstacle_acknowledge(actor=head, access=Access.system(), obstacle=a)
    queued = DBTaskResult.objects.order_by("-pk")[: DBTaskResult.objects.count() - before]
    assert any("refresh_support_indicators" in task.task_path for task in queued)
