"""The single write path of observations: validation of every rule, all-or-nothing, idempotence, history."""

import math
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.indicators import indicator as make_indicator
from tillit.audit.models import AuditEvent
from tillit.chain.access import Access
from tillit.chain.selectors import access_for
from tillit.indicators.models import Indicator, Observation, ObservationChange
from tillit.indicators.selectors.observations import observations_plan
from tillit.indicators.services import (
    ObservationEntry,
    ObservationInput,
    ObservationsInvalidError,
    RecordSummary,
    indicator_retire,
    indicator_update,
    observations_record,
    observations_record_for_unit,
)

SYSTEM = Access.system()  # setup code: Tillit itself

pytestmark = pytest.mark.integration

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def record(indicator, rows, *, actor=None, access=SYSTEM, source="form", **kwargs):
    return observations_record(
        actor=actor, access=access, indicator=indicator, rows=rows, source=source, **kwargs
    )


def problems_of(indicator, rows):
    with pytest.raises(ObservationsInvalidError) as error:
        record(indicator, rows)
    return [(problem.index, problem.message) for problem in error.value.problems]


# --- Indicators ----------------------------------------------------------------------------------


def test_indicator_needs_the_purpose_it_informs(home_care_north):
    with pytest.raises(ValidationError) as error:
        make_indicator(home_care_north, purpose_link="   ")

    assert error.value.message_dict == {
        "purpose_link": ["Say which part of the unit's purpose this data tells about."]
    }


def test_external_indicator_needs_who_requires_it(home_care_north):
    with pytest.raises(ValidationError) as error:
        make_indicator(home_care_north, origin="external", required_by="")

    assert error.value.message_dict == {"required_by": ["Say who requires this data from outside the unit."]}


def test_indicator_the_unit_asked_for_keeps_no_required_by(home_care_north):
    indicator = make_indicator(home_care_north, origin="unit", required_by="IVO")

    assert indicator.required_by == ""


def test_indicator_reports_every_field_problem_at_once(home_care_north):
    with pytest.raises(ValidationError) as error:
        make_indicator(
            home_care_north,
            name="",
            definition="",
            data_type="score",
            frequency="daily",
            origin="?",
            scale=100,
        )

    assert set(error.value.message_dict) == {
        "name",
        "definition",
        "data_type",
        "frequency",
        "origin",
        "scale",
    }


def test_only_ratios_are_shown_per_hundred(home_care_north):
    with pytest.raises(ValidationError) as error:
        make_indicator(home_care_north, data_type="count", scale=100)

    assert error.value.message_dict == {
        "scale": ["Only proportions and rates are shown per 100 or per 1000."]
    }


def test_indicator_name_is_unique_in_the_unit_whatever_the_case(falls, home_care_north):
    with pytest.raises(ValidationError) as error:
        make_indicator(home_care_north, name=falls.name.upper())

    assert error.value.message_dict == {"name": ["The unit already has an indicator with this name."]}


def test_indicator_is_created_by_the_units_writer_and_audited(colleague, home_care_north):
    indicator = make_indicator(home_care_north)  # setup code
    other = make_indicator(
        home_care_north,
        actor=colleague,
        access=access_for(person=colleague),
        name="Test: väntetid",
        definition="Dagar från ansökan till första besök.",
        purpose_link="Snabb hjälp",
        data_type="days_between",
    )

    event = AuditEvent.objects.get(action="indicator.created", target_id=other.pk)
    assert event.actor == colleague
    assert event.after["name"] == "Test: väntetid"
    assert other.created_by == colleague
    assert indicator.created_by is None


def test_people_outside_the_unit_cannot_create_indicators(politician, other_branch, home_care_north):
    for person in (politician, other_branch):
        with pytest.raises(PermissionDenied):
            make_indicator(
                home_care_north, actor=person, access=access_for(person=person), name="Test: smuggel"
            )
    assert not Indicator.objects.filter(name="Test: smuggel").exists()


def test_update_audits_only_what_changed(same_unit, falls):
    indicator_update(
        actor=same_unit, access=access_for(person=same_unit), indicator=falls, definition="Ny definition."
    )

    event = AuditEvent.objects.get(action="indicator.updated", target_id=falls.pk)
    assert event.before == {"definition": "Antal fall som rapporterats i avvikelsesystemet under månaden."}
    assert event.after == {"definition": "Ny definition."}


def test_update_without_changes_writes_nothing(same_unit, falls):
    indicator_update(actor=same_unit, access=access_for(person=same_unit), indicator=falls, name=falls.name)

    assert not AuditEvent.objects.filter(action="indicator.updated", target_id=falls.pk).exists()


def test_data_type_and_frequency_are_fixed_once_data_exists(falls):
    record(falls, [ObservationInput(JAN, 3)])

    with pytest.raises(ValidationError) as error:
        indicator_update(
            actor=None, access=Access.system(), indicator=falls, data_type="measurement", frequency="week"
        )

    assert set(error.value.message_dict) == {"data_type", "frequency"}


def test_retired_indicator_keeps_its_data_but_takes_no_new_values(same_unit, falls):
    record(falls, [ObservationInput(JAN, 3)])

    indicator_retire(actor=same_unit, access=access_for(person=same_unit), indicator=falls)

    assert Observation.objects.filter(indicator=falls).count() == 1
    assert problems_of(falls, [ObservationInput(FEB, 2)]) == [
        (0, f"The indicator {falls.name} is retired: no new data is recorded.")
    ]
    with pytest.raises(ValidationError):
        indicator_retire(actor=same_unit, access=access_for(person=same_unit), indicator=falls)


# --- Validation of observations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "period", "hint"),
    [
        ("month", date(2024, 1, 15), "a month starts on its first day"),
        ("quarter", date(2024, 2, 1), "a quarter starts on 1 January, 1 April, 1 July or 1 October"),
        ("year", date(2024, 7, 1), "a year starts on 1 January"),
        ("week", date(2024, 1, 3), "a week starts on a Monday"),
    ],
)
def test_period_must_be_the_first_day_of_a_period(home_care_north, frequency, period, hint):
    indicator = make_indicator(home_care_north, frequency=frequency)

    assert problems_of(indicator, [ObservationInput(period, 1)]) == [
        (0, f"{period.isoformat()} is not the first day of a period: {hint}.")
    ]


@pytest.mark.parametrize(
    ("frequency", "period"),
    [
        ("month", date(2024, 1, 1)),
        ("quarter", date(2024, 4, 1)),
        ("year", date(2024, 1, 1)),
        ("week", date(2024, 1, 1)),
    ],
)
def test_aligned_periods_of_every_frequency_are_accepted(home_care_north, frequency, period):
    indicator = make_indicator(home_care_north, frequency=frequency)

    assert record(indicator, [ObservationInput(period, 1)]) == RecordSummary(created=1)


def test_period_in_the_future_is_refused_but_the_current_one_is_accepted(falls):
    this_month = timezone.localdate().replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)

    assert problems_of(falls, [ObservationInput(next_month, 1)]) == [
        (0, f"The period {next_month:%Y-%m} has not started yet.")
    ]
    assert record(falls, [ObservationInput(this_month, 1)]).created == 1


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_value_must_be_finite(falls, value):
    assert problems_of(falls, [ObservationInput(JAN, value)]) == [(0, "The value must be a finite number.")]


def test_value_must_be_present(falls):
    assert problems_of(falls, [ObservationInput(JAN, None)]) == [(0, "The value is missing.")]


@pytest.mark.parametrize("value", [-1, 2.5])
def test_counts_are_whole_numbers_of_zero_or_more(falls, value):
    assert problems_of(falls, [ObservationInput(JAN, value)]) == [
        (0, f"A count is a whole number of zero or more, not {value:g}.")
    ]


def test_days_between_are_whole_numbers_of_zero_or_more(home_care_north):
    indicator = make_indicator(home_care_north, data_type="days_between")

    assert problems_of(indicator, [ObservationInput(JAN, 1.5)]) == [
        (0, "Days between events are a whole number of zero or more, not 1.5.")
    ]


def test_measurement_may_be_negative_or_fractional(home_care_north):
    indicator = make_indicator(home_care_north, data_type="measurement")

    assert record(indicator, [ObservationInput(JAN, -2.25)]).created == 1


def test_proportion_needs_a_denominator(continuity):
    assert problems_of(continuity, [ObservationInput(JAN, 3)]) == [
        (0, "A proportion needs a denominator: the number it is a part of.")
    ]


def test_rate_needs_a_denominator(home_care_north):
    rate = make_indicator(home_care_north, data_type="rate", scale=1000)

    assert problems_of(rate, [ObservationInput(JAN, 3)]) == [
        (0, "A rate needs a denominator: the exposure, e.g. care days.")
    ]


@pytest.mark.parametrize("denominator", [0, -4])
def test_denominator_must_be_greater_than_zero(continuity, denominator):
    assert problems_of(continuity, [ObservationInput(JAN, 0, denominator)]) == [
        (0, f"The denominator must be greater than zero, not {denominator}.")
    ]


def test_numerator_of_a_proportion_cannot_exceed_its_denominator(continuity):
    assert problems_of(continuity, [ObservationInput(JAN, 11, 10)]) == [
        (0, "The numerator 11 is larger than the denominator 10.")
    ]


def test_numerator_cannot_be_negative(continuity):
    assert problems_of(continuity, [ObservationInput(JAN, -1, 10)]) == [
        (0, "The numerator cannot be negative (-1).")
    ]


def test_indicator_without_denominator_refuses_one(falls):
    assert problems_of(falls, [ObservationInput(JAN, 3, 10)]) == [
        (0, "This indicator has no denominator: leave it empty (its data type is count).")
    ]


def test_a_period_given_twice_in_one_batch_is_refused(falls):
    assert problems_of(
        falls, [ObservationInput(JAN, 1), ObservationInput(FEB, 2), ObservationInput(JAN, 3)]
    ) == [(2, f"The period 2024-01 of {falls.name} is given twice (also row 1).")]


def test_every_problem_of_every_row_is_listed_and_nothing_is_written(continuity):
    with pytest.raises(ObservationsInvalidError) as error:
        record(
            continuity,
            [
                ObservationInput(JAN, 5, 10),
                ObservationInput(date(2024, 2, 2), 11, 10),
                ObservationInput(MAR, 1, None),
            ],
        )

    assert [problem.index for problem in error.value.problems] == [1, 1, 2]
    assert (
        error.value.messages[0]
        == "Row 2: 2024-02-02 is not the first day of a period: a month starts on its first day."
    )
    assert not Observation.objects.filter(indicator=continuity).exists()
    assert not AuditEvent.objects.filter(action="observations.recorded", target_id=continuity.pk).exists()


def test_long_comment_is_refused(falls):
    assert problems_of(falls, [ObservationInput(JAN, 1, comment="x" * 2001)]) == [
        (0, "The comment can be at most 2000 characters.")
    ]


# --- Recording ------------------------------------------------------------------------------------


def test_record_creates_changes_and_leaves_identical_rows(same_unit, falls):
    access = access_for(person=same_unit)
    record(
        falls,
        [ObservationInput(JAN, 3), ObservationInput(FEB, 4, comment="Halkigt")],
        actor=same_unit,
        access=access,
    )

    summary = record(
        falls,
        [ObservationInput(JAN, 3), ObservationInput(FEB, 5, comment="Halkigt"), ObservationInput(MAR, 1)],
        actor=same_unit,
        access=access,
        source="import",
    )

    assert summary == RecordSummary(created=1, changed=1, unchanged=1)
    assert list(Observation.objects.filter(indicator=falls).values_list("period", "value")) == [
        (JAN, 3.0),
        (FEB, 5.0),
        (MAR, 1.0),
    ]
    change = ObservationChange.objects.get(observation__indicator=falls)
    assert (change.value_before, change.value_after, change.source, change.changed_by) == (
        4.0,
        5.0,
        "import",
        same_unit,
    )
    assert (change.comment_before, change.comment_after) == ("Halkigt", "Halkigt")


def test_re_recording_the_same_data_writes_nothing(falls, django_capture_on_commit_callbacks):
    rows = [ObservationInput(JAN, 3), ObservationInput(FEB, 4)]
    record(falls, rows)
    events = AuditEvent.objects.count()
    updated = list(Observation.objects.filter(indicator=falls).values_list("updated_at", flat=True))

    with django_capture_on_commit_callbacks() as callbacks:
        summary = record(falls, rows)

    assert summary == RecordSummary(unchanged=2)
    assert AuditEvent.objects.count() == events
    assert not ObservationChange.objects.filter(observation__indicator=falls).exists()
    assert list(Observation.objects.filter(indicator=falls).values_list("updated_at", flat=True)) == updated
    assert callbacks == []  # no analysis run for nothing


def test_a_write_that_changes_something_schedules_the_analysis(falls, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record(falls, [ObservationInput(JAN, 3)])

    assert len(callbacks) == 1
    task = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == before + 1
    assert task.args_kwargs["kwargs"] == {
        "organisation_id": falls.organisation_id,
        "indicator_ids": [falls.pk],
    }


def test_one_audit_event_per_batch_with_the_counts(same_unit, falls):
    record(falls, [ObservationInput(JAN, 3), ObservationInput(FEB, 4)])

    record(
        falls,
        [ObservationInput(JAN, 3), ObservationInput(FEB, 6), ObservationInput(MAR, 1)],
        actor=same_unit,
        access=access_for(person=same_unit),
    )

    events = AuditEvent.objects.filter(action="observations.recorded", target_id=falls.pk).order_by("pk")
    assert events.count() == 2
    last = events.last()
    assert last.actor == same_unit
    assert last.before == {"2024-02": "4"}
    assert last.after == {
        "source": "form",
        "created": 1,
        "changed": 1,
        "unchanged": 1,
        "periods": "2024-02, 2024-03",
    }


def test_empty_comment_keeps_the_existing_one_only_when_asked(falls):
    record(falls, [ObservationInput(JAN, 3, comment="Halkigt")])

    assert record(falls, [ObservationInput(JAN, 3)], keep_comments=True) == RecordSummary(unchanged=1)
    assert record(falls, [ObservationInput(JAN, 3)]) == RecordSummary(changed=1)
    assert Observation.objects.get(indicator=falls).comment == ""


def test_correction_history_keeps_every_change_newest_first(same_unit, colleague, falls):
    record(falls, [ObservationInput(JAN, 3)], actor=same_unit, access=access_for(person=same_unit))
    record(falls, [ObservationInput(JAN, 4)], actor=colleague, access=access_for(person=colleague))
    record(falls, [ObservationInput(JAN, 2)], actor=same_unit, access=access_for(person=same_unit))

    history = list(
        ObservationChange.objects.filter(observation__indicator=falls).values_list(
            "value_before", "value_after", "changed_by__full_name"
        )
    )
    assert history == [(4.0, 2.0, "Johan Nyström"), (3.0, 4.0, "Aino Korhonen")]


def test_readers_who_cannot_write_are_refused(politician, other_branch, falls):
    for person in (politician, other_branch):
        with pytest.raises(PermissionDenied):
            record(falls, [ObservationInput(JAN, 3)], actor=person, access=access_for(person=person))
    assert not Observation.objects.filter(indicator=falls).exists()


def test_plan_is_a_dry_run(falls):
    record(falls, [ObservationInput(JAN, 3)])

    plan = observations_plan(indicator=falls, rows=[ObservationInput(JAN, 4), ObservationInput(FEB, 1)])

    assert plan.summary == RecordSummary(created=1, changed=1)
    assert plan.problems == []
    assert Observation.objects.get(indicator=falls).value == 3.0


def test_unit_wide_write_is_all_or_nothing_across_indicators(falls, continuity, home_care_north):
    entries = [
        ObservationEntry(falls.pk, ObservationInput(JAN, 3)),
        ObservationEntry(continuity.pk, ObservationInput(JAN, 8, 10)),
        ObservationEntry(continuity.pk, ObservationInput(FEB, 12, 10)),
    ]

    with pytest.raises(ObservationsInvalidError) as error:
        observations_record_for_unit(
            actor=None, access=Access.system(), unit=home_care_north, entries=entries, source="api"
        )

    assert [problem.index for problem in error.value.problems] == [2]
    assert not Observation.objects.filter(indicator__in=[falls, continuity]).exists()


def test_unit_wide_write_refuses_another_units_indicator(falls, home_care_north):
    from tillit.chain.models import Unit

    school = Unit.objects.get(name="Ekskolan")
    foreign = make_indicator(school, name="Test: frånvaro")

    with pytest.raises(ObservationsInvalidError) as error:
        observations_record_for_unit(
            actor=None,
            access=Access.system(),
            unit=home_care_north,
            entries=[ObservationEntry(foreign.pk, ObservationInput(JAN, 3))],
            source="api",
        )

    assert error.value.problems[0].message == "There is no such indicator in this unit."


def test_bulk_recording_uses_a_constant_number_of_queries(falls):
    start = date(2000, 1, 1)
    rows = [ObservationInput(date(start.year + i // 12, i % 12 + 1, 1), i % 7) for i in range(300)]

    with CaptureQueriesContext(connection) as first:
        assert record(falls, rows).created == 300
    changed = [ObservationInput(row.period, row.value + 1) for row in rows]
    with CaptureQueriesContext(connection) as second:
        assert record(falls, changed).changed == 300

    assert len(first.captured_queries) < 15
    assert len(second.captured_queries) < 15


def test_numpy_numbers_from_generated_data_are_accepted(falls, continuity):
    import numpy as np

    assert record(falls, [ObservationInput(JAN, np.int64(3))]).created == 1
    assert record(continuity, [ObservationInput(JAN, np.float64(4), np.int64(5))]).created == 1
    assert Observation.objects.get(indicator=continuity).denominator == 5.0


def test_a_denominator_that_is_not_a_number_is_refused(continuity):
    assert problems_of(continuity, [ObservationInput(JAN, 3, "10")]) == [
        (0, "The denominator must be a number.")
    ]


def test_the_correction_history_cannot_be_rewritten_in_the_database(falls):
    from django.db import DatabaseError, transaction

    record(falls, [ObservationInput(JAN, 3)])
    record(falls, [ObservationInput(JAN, 4)])
    change = ObservationChange.objects.get(observation__indicator=falls)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ObservationChange.objects.filter(pk=change.pk).update(value_after=99)

    change.refresh_from_db()
    assert change.value_after == 4.0
