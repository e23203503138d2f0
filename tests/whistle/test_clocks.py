"""The legal clocks (W-10; T-26, T-27; L-03, L-06): dates in Stockholm, the day received is day 0, seven
days to acknowledge, three calendar months to give feedback with the month-end clamp."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories.whistle import report_sent, whistle_world
from tillit.core.clock import frozen_at
from tillit.whistle import clocks
from tillit.whistle.services import cases, notices

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def received_at(world, moment: datetime):
    with frozen_at(moment):
        report, _receipt = report_sent(world)
    return report


def acknowledged(world, report, on: datetime):
    handler = world.handlers[0]
    with frozen_at(on):
        return cases.case_acknowledge(report=report, handler=handler, private_key=world.key(handler))


def kinds(report, today: date) -> list[tuple[str, date, bool]]:
    return [(alert.kind, alert.due_on, alert.overdue) for alert in notices.case_alerts(report, today=today)]


# --- T-26: the acknowledgement ----------------------------------------------------------------------


def test_a_report_received_late_in_the_evening_before_summer_time_is_received_that_stockholm_day():
    world = whistle_world()
    report = received_at(world, at(2025, 3, 28, 23, 30))  # DST begins 2025-03-30 02:00

    assert report.received_on == date(2025, 3, 28)
    assert clocks.ack_due(report.received_on) == date(2025, 4, 4)


@pytest.mark.parametrize(
    ("moment", "stockholm_day"),
    [
        (at(2025, 3, 30, 0, 30), date(2025, 3, 30)),  # 2025-03-29 23:30 UTC, winter time
        (at(2025, 3, 31, 1, 30), date(2025, 3, 31)),  # 2025-03-30 23:30 UTC, summer time
        (at(2025, 10, 26, 0, 30), date(2025, 10, 26)),  # the night summer time ends, still UTC+2
    ],
)
def test_the_day_received_is_the_stockholm_date_not_the_utc_date(moment, stockholm_day):
    world = whistle_world()
    report = received_at(world, moment)

    assert moment.astimezone(ZoneInfo("UTC")).date() != stockholm_day
    assert report.received_on == stockholm_day


def test_the_acknowledgement_is_due_on_day_seven_and_overdue_from_day_eight():
    world = whistle_world()
    report = received_at(world, at(2025, 3, 28, 23, 30))

    assert kinds(report, date(2025, 4, 1)) == []  # more than two days before
    assert kinds(report, date(2025, 4, 2)) == [("acknowledgement", date(2025, 4, 4), False)]
    assert kinds(report, date(2025, 4, 4)) == [("acknowledgement", date(2025, 4, 4), False)]
    assert kinds(report, date(2025, 4, 5)) == [("acknowledgement", date(2025, 4, 4), True)]


def test_a_waived_acknowledgement_raises_no_alert_but_the_feedback_clock_still_runs():
    world = whistle_world()
    handler = world.handlers[0]
    report = received_at(world, at(2025, 3, 28, 9))
    with frozen_at(at(2025, 3, 29)):
        report = cases.case_waive_acknowledgement(
            report=report, handler=handler, private_key=world.key(handler)
        )

    assert report.ack_waived is True
    assert kinds(report, date(2025, 4, 10)) == []
    assert kinds(report, date(2025, 7, 5)) == [("feedback", date(2025, 7, 4), True)]


def test_an_acknowledged_case_raises_no_acknowledgement_alert():
    world = whistle_world()
    report = received_at(world, at(2025, 3, 28, 9))
    report = acknowledged(world, report, at(2025, 4, 6))  # late, but done

    assert report.acknowledged_on == date(2025, 4, 6)
    assert kinds(report, date(2025, 4, 7)) == []


# --- T-27: feedback ---------------------------------------------------------------------------------


def test_feedback_is_due_three_months_after_the_acknowledgement_clamped_to_the_month_end():
    world = whistle_world()
    report = received_at(world, at(2025, 11, 25, 10))
    report = acknowledged(world, report, at(2025, 11, 30, 16))

    assert clocks.feedback_due(report.received_on, report.acknowledged_on) == date(2026, 2, 28)
    assert kinds(report, date(2026, 2, 25)) == []
    assert kinds(report, date(2026, 2, 26)) == [("feedback", date(2026, 2, 28), False)]
    assert kinds(report, date(2026, 3, 1)) == [("feedback", date(2026, 2, 28), True)]


def test_without_an_acknowledgement_feedback_is_due_three_months_after_the_seven_days():
    world = whistle_world()
    report = received_at(world, at(2025, 3, 28, 23, 30))

    assert clocks.feedback_due(report.received_on, None) == date(2025, 7, 4)
    assert ("feedback", date(2025, 7, 4), True) in kinds(report, date(2025, 7, 5))


def test_feedback_given_ends_the_feedback_clock_and_a_closed_case_has_none():
    world = whistle_world()
    handler, key = world.handlers[0], world.key(world.handlers[0])
    report = received_at(world, at(2025, 3, 3, 9))
    with frozen_at(at(2025, 6, 2)):
        cases.case_message(
            report=report, handler=handler, private_key=key, body="Vi har utrett.", kind="feedback"
        )
    report.refresh_from_db()

    assert report.feedback_on == date(2025, 6, 2)
    assert [kind for kind, _due, _late in kinds(report, date(2025, 8, 1))] == ["acknowledgement"]
    with frozen_at(at(2025, 6, 3)):
        report = cases.case_close(report=report, handler=handler, private_key=key)
    assert kinds(report, date(2025, 8, 1)) == []


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # the clamp
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # a leap year's February
        (date(2024, 11, 29), 3, date(2025, 2, 28)),
        (date(2025, 8, 31), 3, date(2025, 11, 30)),
        (date(2025, 10, 31), 3, date(2026, 1, 31)),
        (date(2025, 12, 31), 3, date(2026, 3, 31)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),  # over the turn of the year
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
    ],
)
def test_months_are_added_by_the_calendar_and_clamped_to_the_last_day(start, months, expected):
    assert clocks.add_months(start, months) == expected


def test_without_acknowledgement_in_a_leap_year_the_seven_days_and_three_months_meet_february():
    # received 2023-11-23: seven days end 2023-11-30, three months after is 2024-02-29 (leap day)
    assert clocks.ack_due(date(2023, 11, 23)) == date(2023, 11, 30)
    assert clocks.feedback_due(date(2023, 11, 23), None) == date(2024, 2, 29)
    # received 2024-12-24: seven days cross the year, and February 2025 has 28 days
    assert clocks.ack_due(date(2024, 12, 24)) == date(2024, 12, 31)
    assert clocks.feedback_due(date(2024, 12, 24), None) == date(2025, 3, 31)
    assert clocks.feedback_due(date(2024, 11, 23), None) == date(2025, 2, 28)  # 30 Nov + 3 months
