"""Hours per year: minutes each time × times a year / 60, per frequency (figures computed by hand)."""

import pytest

from tillit.burden.enums import ReportFrequency
from tillit.burden.models import ReportingRequirement

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("frequency", "times", "minutes", "hours"),
    [
        (ReportFrequency.WEEK, None, 45, 39.0),  # 45 × 52 / 60
        (ReportFrequency.MONTH, None, 180, 36.0),  # 180 × 12 / 60
        (ReportFrequency.QUARTER, None, 45, 3.0),  # 45 × 4 / 60
        (ReportFrequency.TERTIAL, None, 240, 12.0),  # 240 × 3 / 60
        (ReportFrequency.HALF_YEAR, None, 90, 3.0),  # 90 × 2 / 60
        (ReportFrequency.YEAR, None, 360, 6.0),  # 360 × 1 / 60
        (ReportFrequency.AD_HOC, 5, 30, 2.5),  # 30 × 5 / 60
        (ReportFrequency.AD_HOC, None, 30, 0.0),  # no estimate of how often: nothing counted
    ],
)
def test_hours_per_year_is_minutes_times_times_a_year_over_sixty(frequency, times, minutes, hours):
    requirement = ReportingRequirement(frequency=frequency, times_per_year=times, minutes_each=minutes)

    assert requirement.hours_per_year == pytest.approx(hours)
