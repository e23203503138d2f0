"""The channel's background work: queued once, each run queueing the next, carrying no ids; and the
operators' commands (whistle_schedule, whistle_purge_due)."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories.whistle import report_sent, whistle_world
from tests.whistle.test_retention import closed_case
from tillit.core.clock import frozen_at
from tillit.core.schedule import next_hourly_run
from tillit.whistle import tasks
from tillit.whistle.enums import Sector
from tillit.whistle.models import Report

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NAMES = ("whistle_notify", "whistle_clean", "whistle_clock_alerts", "whistle_purge")


def queued():
    from django_tasks_db.models import DBTaskResult

    return {
        row.task_path.rsplit(".", 1)[1]: row
        for row in DBTaskResult.objects.filter(task_path__startswith="tillit.whistle.tasks.", status="READY")
    }


def local(moment: datetime) -> str:
    return timezone.localtime(moment, STOCKHOLM).strftime("%H:%M")


def test_whistle_schedule_queues_each_task_once_at_its_time_and_without_arguments():
    with frozen_at(datetime(2026, 12, 3, 10, 20, tzinfo=STOCKHOLM)):
        first = StringIO()
        call_command("whistle_schedule", stdout=first)
        second = StringIO()
        call_command("whistle_schedule", stdout=second)

    rows = queued()
    assert sorted(rows) == sorted(NAMES)
    assert {name: local(row.run_after) for name, row in rows.items()} == {
        "whistle_notify": "11:00",
        "whistle_clean": "10:30",
        "whistle_clock_alerts": "07:00",
        "whistle_purge": "03:15",
    }
    assert timezone.localtime(rows["whistle_purge"].run_after, STOCKHOLM).date() == date(2026, 12, 4)
    assert all(row.args_kwargs == {"args": [], "kwargs": {}} for row in rows.values())
    assert "whistle_notify: queued for 2026-12-03 11:00 (Europe/Stockholm)." in first.getvalue()
    assert second.getvalue().count("already queued") == 4


def stockholm(*parts) -> datetime:
    return datetime(*parts, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("moment", "minute", "expected"),
    [
        (stockholm(2026, 12, 3, 10, 20), 0, stockholm(2026, 12, 3, 11, 0)),
        (stockholm(2026, 12, 3, 10, 20), 30, stockholm(2026, 12, 3, 10, 30)),
        (stockholm(2026, 12, 3, 10, 30), 30, stockholm(2026, 12, 3, 11, 30)),  # strictly after
        (stockholm(2026, 12, 31, 23, 40), 0, stockholm(2027, 1, 1, 0, 0)),
        (stockholm(2026, 3, 29, 1, 30), 0, stockholm(2026, 3, 29, 3, 0)),  # no 02:00 that night
    ],
)
def test_the_next_hourly_run_is_the_next_such_minute(moment, minute, expected):
    with frozen_at(moment):
        assert next_hourly_run(minute=minute) == expected


def test_the_hourly_notice_tells_the_news_and_queues_the_next_hour(mailoutbox):
    world = whistle_world()
    report_sent(world)
    with frozen_at(datetime(2026, 12, 3, 14, 0, 5, tzinfo=STOCKHOLM)):
        assert tasks.whistle_notify.call() == 2

    assert len(mailoutbox) == 2
    assert Report.objects.get().handlers_notified is True
    assert local(queued()["whistle_notify"].run_after) == "15:00"


def test_the_daily_purge_purges_what_is_due_and_queues_tomorrow():
    world = whistle_world(sector=Sector.PRIVATE)
    report, _receipt = closed_case(world, date(2026, 1, 5))
    with frozen_at(datetime(2028, 1, 5, 3, 15, 2, tzinfo=STOCKHOLM)):
        assert tasks.whistle_purge.call() == 1

    assert not Report.objects.filter(pk=report.pk).exists()
    run_after = queued()["whistle_purge"].run_after
    assert timezone.localtime(run_after, STOCKHOLM) == datetime(2028, 1, 6, 3, 15, tzinfo=STOCKHOLM)


def test_a_failing_run_still_queues_the_next(monkeypatch):
    from tillit.whistle.services import notices

    def broken(**_arguments):
        raise RuntimeError("boom")

    monkeypatch.setattr(notices, "clock_alerts_send", broken)
    with pytest.raises(RuntimeError):
        tasks.whistle_clock_alerts.call()
    assert "whistle_clock_alerts" in queued()


def test_the_daily_deadlines_and_the_hourly_clean_up_run_as_tasks(mailoutbox):
    world = whistle_world()
    with frozen_at(datetime(2026, 11, 20, 9, tzinfo=STOCKHOLM)):
        report_sent(world)
    with frozen_at(datetime(2026, 11, 27, 7, 0, 1, tzinfo=STOCKHOLM)):
        assert tasks.whistle_clock_alerts.call() == 2  # acknowledgement due today
        assert tasks.whistle_clean.call() == 0
    assert {"whistle_clock_alerts", "whistle_clean"} <= set(queued())


def test_whistle_purge_due_purges_now_and_reports_what_it_did():
    world = whistle_world(sector=Sector.PRIVATE)
    report, _receipt = closed_case(world, date(2024, 1, 10))
    number = report.case_number

    dry = StringIO()
    call_command("whistle_purge_due", "--dry-run", stdout=dry)
    assert f"{number}, due 2026-01-10" in dry.getvalue()
    assert Report.objects.filter(pk=report.pk).exists()

    out = StringIO()
    call_command("whistle_purge_due", stdout=out)
    assert f"1 case(s) purged: {number}." in out.getvalue()
    assert not Report.objects.filter(pk=report.pk).exists()


def test_whistle_purge_due_names_a_refused_channel_on_stderr():
    from tillit.whistle.services import channels

    world = whistle_world()
    closed_case(world, date(2018, 1, 10))
    channels.channel_update(access=world.system, channel=world.channel, gallringsbeslut_ref="")

    out, err = StringIO(), StringIO()
    call_command("whistle_purge_due", stdout=out, stderr=err)

    assert "0 case(s) purged" in out.getvalue()
    assert world.channel.name in err.getvalue()
    assert "gallring decision" in err.getvalue()
    assert Report.objects.count() == 1
