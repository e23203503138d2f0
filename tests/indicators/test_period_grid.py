"""Periods as the engine's columns: consecutive integers, and back to the period's first day."""

from datetime import date

import pytest
from django.utils import translation

from tillit.indicators.periods import parse_period, period_example, period_from_index, period_index


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

    assert period_from_index(frequency, index) == day
    assert period_index(frequency, period_from_index(frequency, index + 1)) == index + 1
    assert period_from_index(frequency, index + 1) > day


def test_a_day_inside_a_period_maps_to_that_period():
    assert period_index("month", date(2025, 3, 17)) == period_index("month", date(2025, 3, 1))
    assert period_index("quarter", date(2025, 6, 30)) == period_index("quarter", date(2025, 4, 1))
    assert period_index("week", date(2026, 12, 6)) == period_index("week", date(2026, 11, 30))  # Sun, Mon


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("frequency", ["week", "month", "quarter", "year"])
def test_the_example_in_error_messages_is_written_as_the_language_writes_periods_and_reads_back(
    language, frequency
):
    with translation.override(language):
        example = period_example(frequency)

        assert parse_period(example, frequency)
    if language == "sv" and frequency in ("week", "quarter"):
        assert ("V" if frequency == "week" else "KV") in example
