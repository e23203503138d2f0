from datetime import date

import pytest
from django.utils import translation

from tillit.followup.periods import chart_period, period_index, period_start


@pytest.mark.parametrize(
    ("frequency", "day"),
    [
        ("month", date(2025, 12, 1)),
        ("quarter", date(2025, 10, 1)),
        ("year", date(2025, 1, 1)),
        ("week", date(2025, 12, 29)),
    ],
)
def test_consecutive_periods_are_consecutive_integers_and_map_back_to_their_first_day(frequency, day):
    index = period_index(frequency, day)

    assert period_start(frequency, index) == day
    assert period_index(frequency, period_start(frequency, index + 1)) == index + 1
    assert period_start(frequency, index + 1) > day


def test_a_day_inside_a_period_maps_to_that_period():
    assert period_index("month", date(2025, 3, 17)) == period_index("month", date(2025, 3, 1))
    assert period_index("quarter", date(2025, 6, 30)) == period_index("quarter", date(2025, 4, 1))
    assert period_index("week", date(2026, 12, 6)) == period_index("week", date(2026, 11, 30))  # Sun, Mon


def test_chart_labels_name_months_for_the_chart_and_write_quarters_and_weeks_in_words():
    with translation.override("en"):
        assert chart_period("month", date(2025, 3, 1)) == "2025-03"
        assert chart_period("quarter", date(2025, 4, 1)) == "Q2 2025"
        assert chart_period("week", date(2025, 12, 29)) == "week 1 2026"
        assert chart_period("year", date(2025, 1, 1)) == "2025"
