from datetime import date

import pytest

from tillit.core.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.unit


def test_weekends_are_skipped():
    friday = date(2026, 3, 6)
    assert add_working_days(friday, 1) == date(2026, 3, 9)  # Monday
    assert add_working_days(friday, 10) == date(2026, 3, 20)


def test_sundays_and_saturdays_are_never_working_days_but_ordinary_weekdays_are():
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert is_working_day(date(2026, 3, 10))


def test_midsommarafton_and_midsommardagen_are_skipped():
    # Thursday 18 June 2026; midsommarafton is Friday 19 June, midsommardagen Saturday 20 June.
    assert not is_working_day(date(2026, 6, 19))
    assert add_working_days(date(2026, 6, 18), 1) == date(2026, 6, 22)


def test_christmas_and_new_year_are_skipped():
    # Wednesday 23 December 2026: julafton (Thu), juldagen (Fri), annandag jul (Sat), weekend;
    # then Mon 28, Tue 29, Wed 30, nyårsafton (Thu 31), nyårsdagen (Fri 1 Jan), weekend, Mon 4 Jan.
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 23), 4) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 5)  # 6 January is trettondedag jul
    assert not is_working_day(date(2027, 1, 6))


def test_national_day_on_a_weekday_is_skipped():
    assert not is_working_day(date(2025, 6, 6))  # a Friday


def test_working_days_between_counts_the_end_not_the_start():
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 6, 18), date(2026, 6, 22)) == 1
