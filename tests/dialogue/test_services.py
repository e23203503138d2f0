"""Joint looks: opened once per signal episode, by a boundary report and by hand; planned, written in
and closed with an outcome that lands on the chart."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.followup.conftest import STABLE, analyse_mine
from tillit.agreements.models import BoundaryKind
from tillit.agreements.services import boundary_report_create
from tillit.audit.models import AuditEvent
from tillit.chain.selectors import access_for
from tillit.dialogue import selectors, services
from tillit.dialogue.enums import LookOrigin, LookState, Outcome
from tillit.dialogue.models import JointLook
from tillit.followup.chart_markup import charts_markup
from tillit.indicators.models import Observation
from tillit.notifications.models import Notification

pytestmark = pytest.mark.integration

SIGNAL = [*STABLE[:20], 45]  # the last month far above the limits: a special cause


def looks_of(indicator):
    return JointLook.objects.filter(indicator=indicator).order_by("pk")


def test_a_signal_opens_one_look_and_re_running_the_analysis_opens_no_second(make_indicator, home_care_north):
    indicator = make_indicator(home_care_north, "Fall", SIGNAL)

    analyse_mine()
    services.joint_looks_sync(organisation_id=home_care_north.organisation_id)

    look = looks_of(indicator).get()
    assert look.origin == LookOrigin.SIGNAL
    assert look.reasons == ["special_cause"]
    assert look.period == date(2025, 9, 1)
    assert look.upper_unit.name == "Hemtjänsten"
    assert look.state == LookState.OPEN


def test_a_series_back_inside_its_frame_ends_the_episode_and_a_new_signal_opens_a_new_look(
    make_indicator, home_care_north
):
    indicator = make_indicator(home_care_north, "Fall", SIGNAL)
    analyse_mine()
    # The high month was a typing error: corrected, the series is routine variation again.
    Observation.objects.filter(indicator=indicator, period=date(2025, 9, 1)).update(value=21)
    analyse_mine()
    first = looks_of(indicator).get()
    assert first.episode_ended_at is not None

    Observation.objects.create(
        organisation_id=indicator.organisation_id, indicator=indicator, period=date(2025, 10, 1), value=48
    )
    analyse_mine()

    assert looks_of(indicator).count() == 2
    assert looks_of(indicator).last().episode_ended_at is None


def test_a_closed_look_is_not_reopened_while_the_signal_lasts(make_indicator, home_care_north, same_unit):
    indicator = make_indicator(home_care_north, "Fall", SIGNAL)
    analyse_mine()
    look = looks_of(indicator).get()
    services.joint_look_close(
        actor=same_unit,
        access=access_for(person=same_unit),
        look=look,
        outcome=Outcome.UNDERSTOOD,
        summary="Ny mätrutin i september.",
    )
    Observation.objects.create(
        organisation_id=indicator.organisation_id, indicator=indicator, period=date(2025, 10, 1), value=47
    )

    analyse_mine()

    assert looks_of(indicator).count() == 1


def test_the_managers_of_the_unit_and_the_level_above_take_part_and_are_notified(
    make_indicator, home_care_north, same_unit
):
    indicator = make_indicator(home_care_north, "Fall", SIGNAL)

    analyse_mine()

    look = looks_of(indicator).get()
    names = sorted(look.participants.values_list("person__full_name", flat=True))
    assert names == ["Johan Nyström", "Sofia Lindberg"]
    notified = Notification.objects.filter(url=look.get_absolute_url(), kind="joint_look.opened")
    assert sorted(notified.values_list("person__full_name", flat=True)) == names
    assert AuditEvent.objects.filter(action="joint_look.opened", target_id=look.pk, actor=None).exists()


def test_reporting_a_qualitative_boundary_opens_a_look_about_it(home_care_north, colleague):
    from tests.agreements.factories import agreement_targets
    from tillit.agreements.models import Boundary

    boundary = Boundary.objects.get(pk=agreement_targets(unit=home_care_north)["boundary_id"])
    assert boundary.kind == BoundaryKind.QUALITATIVE

    report = boundary_report_create(
        actor=colleague,
        access=access_for(person=colleague),
        boundary=boundary,
        occurred_on=date(2026, 11, 3),
        description="Ett besök blev inte av och ingen hörde av sig.",
    )

    look = JointLook.objects.get(boundary_report=report)
    assert look.origin == LookOrigin.BOUNDARY_REPORT
    assert look.period == date(2026, 11, 1)
    assert look.participants.filter(person=colleague).exists()


def test_the_unit_opens_a_look_by_hand_and_a_reader_elsewhere_cannot(
    home_care_north, colleague, other_branch
):
    look = services.joint_look_open(
        actor=colleague,
        access=access_for(person=colleague),
        unit=home_care_north,
        subject="Nya nyckelrutinen",
    )
    assert look.origin == LookOrigin.BY_HAND
    assert look.opened_by == colleague

    with pytest.raises(PermissionDenied):
        services.joint_look_open(
            actor=other_branch, access=access_for(person=other_branch), unit=home_care_north, subject="x"
        )


def test_a_politician_reads_along_the_chain_but_does_not_open_a_units_look(home_care_north, politician):
    with pytest.raises(PermissionDenied):
        services.joint_look_open(
            actor=politician, access=access_for(person=politician), unit=home_care_north, subject="x"
        )


def test_a_look_needs_something_to_look_at(home_care_north, same_unit):
    with pytest.raises(ValidationError) as error:
        services.joint_look_open(
            actor=same_unit, access=access_for(person=same_unit), unit=home_care_north, subject=" "
        )
    assert "subject" in error.value.message_dict


def test_notes_answer_the_curious_prompts_and_stop_when_the_look_is_closed(home_care_north, same_unit):
    access = access_for(person=same_unit)
    look = services.joint_look_open(actor=same_unit, access=access, unit=home_care_north, subject="Nattbesök")

    note = services.joint_look_note_add(
        actor=same_unit, access=access, look=look, prompt="what_happened", text="Två nya brukare i oktober."
    )
    with pytest.raises(ValidationError):
        services.joint_look_note_add(actor=same_unit, access=access, look=look, prompt="explain", text="x")
    services.joint_look_close(
        actor=same_unit, access=access, look=look, outcome=Outcome.UNDERSTOOD, summary="Förstått."
    )
    with pytest.raises(ValidationError):
        services.joint_look_note_add(actor=same_unit, access=access, look=look, text="En sak till")

    assert note.prompt == "what_happened"
    assert list(look.notes.values_list("text", flat=True)) == ["Två nya brukare i oktober."]


def test_closing_needs_an_outcome_and_a_summary(home_care_north, same_unit):
    access = access_for(person=same_unit)
    look = services.joint_look_open(actor=same_unit, access=access, unit=home_care_north, subject="Nattbesök")

    with pytest.raises(ValidationError) as no_summary:
        services.joint_look_close(
            actor=same_unit, access=access, look=look, outcome=Outcome.EXPERIMENT, summary=""
        )
    with pytest.raises(ValidationError) as no_outcome:
        services.joint_look_close(actor=same_unit, access=access, look=look, outcome="red", summary="Klart")

    assert "summary" in no_summary.value.message_dict
    assert "outcome" in no_outcome.value.message_dict
    look.refresh_from_db()
    assert look.is_open


def test_participants_come_from_the_unit_and_the_level_above(home_care_north, same_unit, other_branch):
    access = access_for(person=same_unit)
    look = services.joint_look_open(actor=same_unit, access=access, unit=home_care_north, subject="Nattbesök")
    sofia = look.participants.get(person__full_name="Sofia Lindberg").person

    with pytest.raises(ValidationError):
        services.joint_look_plan(
            actor=same_unit, access=access, look=look, person_ids=[other_branch.pk], meeting_on=None
        )
    services.joint_look_plan(
        actor=same_unit, access=access, look=look, person_ids=[sofia.pk], meeting_on=date(2026, 12, 8)
    )

    look.refresh_from_db()
    assert list(look.participants.values_list("person__full_name", flat=True)) == ["Sofia Lindberg"]
    assert look.meeting_on == date(2026, 12, 8)


def test_the_closing_summary_is_drawn_on_the_chart_at_its_period(make_indicator, home_care_north, same_unit):
    indicator = make_indicator(home_care_north, "Fall", SIGNAL)
    analyse_mine()
    look = looks_of(indicator).get()

    services.joint_look_close(
        actor=same_unit,
        access=access_for(person=same_unit),
        look=look,
        outcome=Outcome.EXPERIMENT,
        summary="Vi prövar dubbelbemanning på kvällarna.",
    )

    assert [note.pk for note in selectors.chart_notes(indicator_ids=[indicator.pk])[indicator.pk]] == [
        look.pk
    ]
    followup = selectors.unit_followup_with_notes(unit=home_care_north)
    item = next(item for item in followup.items if item.indicator == indicator)
    chart = charts_markup([item])[indicator.pk]
    assert "Vi prövar dubbelbemanning på kvällarna." in chart
    assert "sep. 2025" in chart or "september 2025" in chart


def test_looks_in_a_sub_tree_follow_the_chain(home_care_north, same_unit, other_branch):
    look = services.joint_look_open(
        actor=same_unit, access=access_for(person=same_unit), unit=home_care_north, subject="Nattbesök"
    )
    upper = home_care_north.parent

    seen_from_above = selectors.looks_in_subtree(access=access_for(person=same_unit), unit=upper)
    seen_from_school = selectors.looks_in_subtree(access=access_for(person=other_branch), unit=upper)

    assert look in seen_from_above
    assert look not in seen_from_school
