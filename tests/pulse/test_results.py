"""The frozen results (tillit.pulse.services.results): thresholds (T-48), differencing (T-49), the close
(T-51), homogeneity (T-52), bands (T-53), free text (T-57), sharing upward and the joint look."""

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories.pulse import answer_all, person_in, pulse_closed, pulse_opened, pulse_world
from tillit.analysis.disclosure import derivable_minimum
from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.chain.access import Access
from tillit.chain.selectors import access_for
from tillit.dialogue.models import JointLook
from tillit.pulse import rules, selectors, services
from tillit.pulse.enums import PulseState
from tillit.pulse.models import FreeTextAnswer, PulseCell, PulseUnit, Response

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def staff_tokens(world, tokens, *names):
    """The tokens of the staff of these units (the scope's manager left out)."""
    return [tokens[email] for name in names for email in world.emails(name)]


def cells(pulse, unit_name):
    return {cell.item: cell for cell in PulseCell.objects.filter(pulse=pulse, pulse_unit__name=unit_name)}


def unit_row(pulse, name):
    return PulseUnit.objects.get(pulse=pulse, name=name)


def mixed(index):
    return 2 + index % 3  # 2, 3, 4, 2, …: never all alike


def cell_values(pulse):
    return sorted(
        PulseCell.objects.filter(pulse=pulse).values_list(
            "pulse_unit__name", "item", "published", "mean", "distribution", "answers_low", "answers_high"
        ),
        key=repr,
    )


# --- T-48 thresholds -------------------------------------------------------------------------------


def test_a_unit_of_k_minus_one_shows_nothing_and_its_sibling_of_k_shows_its_scores():
    world = pulse_world({"Fyra": 4, "Fem": 5, "Sex": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Fyra", "Fem", "Sex"), value=mixed)
    pulse = pulse_closed(world, pulse)
    small = cells(pulse, "Fyra")
    assert small
    assert not any(cell.published for cell in small.values())
    assert all(
        cell.mean is None and cell.distribution is None and cell.answers_low is None
        for cell in small.values()
    )
    assert (unit_row(pulse, "Fyra").respondents_low, unit_row(pulse, "Fyra").respondents_high) == (
        0,
        4,
    )  # "<5"
    assert (unit_row(pulse, "Fyra").rate_low, unit_row(pulse, "Fyra").rate_high) == (-1, -1)
    # Fyra's 4 must not be derivable: the whole minus Fem and Sex would be 4, so one of the three is
    # suppressed; the one at k and the larger one cannot both stand beside the whole.
    published = {
        name: all(c.published for c in cells(pulse, name).values()) for name in ("Förvaltning", "Fem", "Sex")
    }
    assert list(published.values()).count(True) == 2


def test_a_unit_of_exactly_k_shows_its_mean_and_band():
    world = pulse_world({"Fem": 5, "Också fem": 5})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Fem", "Också fem"), value=mixed)
    pulse = pulse_closed(world, pulse)
    for name in ("Förvaltning", "Fem", "Också fem"):
        for cell in cells(pulse, name).values():
            assert cell.published
            assert cell.mean is not None
    fem = unit_row(pulse, "Fem")
    assert (fem.respondents_low, fem.respondents_high) == (5, 9)
    assert (fem.rate_low, fem.rate_high) == (90, 100)  # 5 of 5
    assert cells(pulse, "Fem")["team_problems"].mean == pytest.approx((2 + 3 + 4 + 2 + 3) / 5, abs=0.01)


def test_a_pulse_publishes_with_the_k_it_was_created_with():
    world = pulse_world({"Sju": 7, "Åtta": 8})
    services.pulse_settings_set(
        actor=None,
        access=world.system,
        organisation=world.organisation,
        min_group_size=7,
        min_free_text_group_size=10,
    )
    pulse, tokens = pulse_opened(world)
    services.pulse_settings_set(
        actor=None,
        access=world.system,
        organisation=world.organisation,
        min_group_size=9,
        min_free_text_group_size=10,
    )
    answer_all(pulse, staff_tokens(world, tokens, "Sju", "Åtta"), value=mixed)
    pulse = pulse_closed(world, pulse)
    assert pulse.min_group_size == 7
    assert all(cell.published for cell in cells(pulse, "Sju").values())
    sju = unit_row(pulse, "Sju")
    assert (sju.respondents_low, sju.respondents_high) == (7, 9)


def test_a_raised_k_suppresses_a_unit_of_five():
    world = pulse_world({"Fem": 5, "Tio": 10})
    services.pulse_settings_set(
        actor=None,
        access=world.system,
        organisation=world.organisation,
        min_group_size=6,
        min_free_text_group_size=10,
    )
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Fem", "Tio"), value=mixed)
    pulse = pulse_closed(world, pulse)
    assert not any(cell.published for cell in cells(pulse, "Fem").values())
    assert (unit_row(pulse, "Fem").respondents_low, unit_row(pulse, "Fem").respondents_high) == (0, 5)  # "<6"


# --- T-49 differencing -----------------------------------------------------------------------------


def test_p_12_from_a_8_and_b_4_never_lets_b_be_derived_from_the_stored_cells():
    world = pulse_world({"A": 8, "B": 4})
    pulse, tokens = pulse_opened(world)
    answer_all(
        pulse, staff_tokens(world, tokens, "A", "B"), value=mixed
    )  # the manager does not answer: P = 12
    pulse = pulse_closed(world, pulse)
    parent = np.array([-1, 0, 0])
    n = np.array([12, 8, 4])
    for item in pulse.items:
        p, a, b = (cells(pulse, name)[item] for name in ("Förvaltning", "A", "B"))
        published = np.array([p.published, a.published, b.published])
        assert not b.published
        assert not (p.published and a.published), item  # P − A would be B
        assert derivable_minimum(parent, n, published) in (0,) or derivable_minimum(parent, n, published) >= 5
        assert p.published  # the larger cell is the one kept
    whole, a_row, b_row = (unit_row(pulse, name) for name in ("Förvaltning", "A", "B"))
    assert (whole.respondents_low, whole.respondents_high) == (10, 19)
    assert (a_row.respondents_low, a_row.respondents_high) == (-1, -1)  # suppressed: no band at all
    assert (b_row.respondents_low, b_row.respondents_high) == (0, 4)


def test_a_suppressed_sibling_leaves_no_small_residual_in_a_deeper_tree():
    world = pulse_world(
        {"Avdelning": 0, "Norr": 6, "Söder": 6, "Liten": 2, "Väst": 9},
        tree={"Norr": "Avdelning", "Söder": "Avdelning", "Liten": "Avdelning"},
    )
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Norr", "Söder", "Liten", "Väst"), value=mixed)
    pulse = pulse_closed(world, pulse)
    frame = list(PulseUnit.objects.filter(pulse=pulse).order_by("depth", "frame_path"))
    index = {row.pk: i for i, row in enumerate(frame)}
    parent = np.array([index[row.parent_id] if row.parent_id else -1 for row in frame])
    own = {"Förvaltning": 0, "Avdelning": 0, "Norr": 6, "Söder": 6, "Liten": 2, "Väst": 9}
    n = np.array([own[row.name] for row in frame])
    for i in reversed(range(len(frame))):
        if parent[i] >= 0:
            n[parent[i]] += n[i]
    for item in pulse.items:
        published = np.array([cells(pulse, row.name)[item].published for row in frame])
        smallest = derivable_minimum(parent, n, published)
        assert smallest == 0 or smallest >= 5, (item, published)


# --- T-51 the close --------------------------------------------------------------------------------


def test_no_result_exists_or_is_read_while_the_pulse_is_open():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Norr", "Söder"), value=mixed)
    assert not PulseCell.objects.filter(pulse=pulse).exists()
    for someone in (world.manager, world.people["Norr"][0]):
        assert selectors.results_for(access_for(person=someone), pulse) == []
    assert selectors.results_for(Access.system(world.organisation.pk), pulse) == []
    assert not any(
        rules.can_read_results(Access.system(world.organisation.pk), row)
        for row in PulseUnit.objects.filter(pulse=pulse).select_related("pulse", "unit")
    )


def test_a_late_answer_after_the_close_is_refused_clearly_and_changes_nothing():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Norr", "Söder")[:-1], value=mixed)
    pulse = pulse_closed(world, pulse)
    before = cell_values(pulse)
    answers = Response.objects.filter(pulse=pulse, answers__isnull=False).count()
    late = staff_tokens(world, tokens, "Söder")[-1]
    with pytest.raises(ValidationError, match=r"closed on .* no longer taken"):
        services.pulse_answer(token=late, answers={"team_problems": 5})
    assert cell_values(pulse) == before
    assert Response.objects.filter(pulse=pulse, answers__isnull=False).count() == answers == 11


def test_closing_twice_or_closing_a_draft_is_refused():
    world = pulse_world({"Norr": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Norr"), value=mixed)
    pulse = pulse_closed(world, pulse)
    before = cell_values(pulse)
    with pytest.raises(ValidationError, match="already closed"):
        pulse_closed(world, pulse)
    assert cell_values(pulse) == before
    draft = services.pulse_create(
        actor=world.manager, access=world.system, scope=world.scope, title="Utkast", closes_on=pulse.closes_on
    )
    with pytest.raises(ValidationError, match="open it first"):
        pulse_closed(world, draft)


def test_the_close_stores_one_cell_per_unit_and_item_and_is_audited():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Norr", "Söder"), value=mixed)
    pulse = pulse_closed(world, pulse)
    assert pulse.state == PulseState.CLOSED
    assert pulse.closed_at is not None
    assert PulseCell.objects.filter(pulse=pulse).count() == 3 * len(pulse.items)
    event = AuditEvent.objects.get(
        organisation=world.organisation, action=AuditAction.PULSE_CLOSED, target_id=pulse.pk
    )
    assert event.before["state"] == "open"
    assert event.after["state"] == "closed"


def test_the_close_queues_the_news_of_the_results_for_everyone_in_the_frame(
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    from tillit.notifications.models import Notification

    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Norr", "Söder"), value=mixed)
    with django_capture_on_commit_callbacks(execute=True):
        pulse = pulse_closed(world, pulse)
    [queued] = DBTaskResult.objects.filter(task_path="tillit.pulse.tasks.pulse_notify_published")
    assert queued.args_kwargs["kwargs"] == {"pulse_id": pulse.pk, "actor_id": world.manager.pk}
    assert not Notification.objects.filter(
        organisation=world.organisation, kind="pulse.published"
    ).exists()  # not in the close itself
    told = services.pulse_published_notify(pulse_id=pulse.pk, actor_id=world.manager.pk)
    assert told == 12  # everyone in the frame but the manager who closed it
    people = set(
        Notification.objects.filter(organisation=world.organisation, kind="pulse.published").values_list(
            "person__email", flat=True
        )
    )
    assert people == set(world.emails("Norr") + world.emails("Söder"))


def test_dont_know_counts_as_a_respondent_but_not_in_the_mean():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    norr = staff_tokens(world, tokens, "Norr")
    for index, token in enumerate(norr):
        services.pulse_answer(token=token, answers={"team_problems": 0 if index == 0 else mixed(index)})
    answer_all(pulse, staff_tokens(world, tokens, "Söder"), value=mixed)
    pulse = pulse_closed(world, pulse)
    cell = cells(pulse, "Norr")["team_problems"]
    assert cell.published
    assert cell.mean == pytest.approx(np.mean([mixed(i) for i in range(1, 6)]), abs=0.01)
    assert (unit_row(pulse, "Norr").respondents_low, unit_row(pulse, "Norr").respondents_high) == (5, 9)
    assert not cells(pulse, "Norr")["manager_ability"].published  # no one answered it there


# --- T-52 homogeneity ------------------------------------------------------------------------------


def test_six_answers_all_one_store_no_distribution_and_no_mean_that_would_tell_them():
    world = pulse_world({"Sex": 6, "Blandat": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Sex"), value=1)
    answer_all(pulse, staff_tokens(world, tokens, "Blandat"), value=mixed)
    pulse = pulse_closed(world, pulse)
    for cell in cells(pulse, "Sex").values():
        assert cell.distribution is None
        assert cell.mean != 1.0  # a mean of 1.0 would say what every one of them answered
    blandat = cells(pulse, "Blandat")["team_problems"]
    assert blandat.published
    assert blandat.distribution is not None
    assert sum(blandat.distribution) == pytest.approx(100, abs=1)
    assert blandat.distribution[0] == 0
    assert blandat.distribution[4] == 0


def test_six_answers_all_three_show_the_mean_only():
    world = pulse_world({"Sex": 6, "Blandat": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Sex"), value=3)
    answer_all(pulse, staff_tokens(world, tokens, "Blandat"), value=mixed)
    pulse = pulse_closed(world, pulse)
    cell = cells(pulse, "Sex")["team_problems"]
    assert cell.published
    assert cell.mean == 3.0
    assert cell.distribution is None


# --- T-53 bands ------------------------------------------------------------------------------------


def test_counts_and_rates_are_stored_only_as_bands():
    world = pulse_world({"Tolv": 12, "Sex": 6, "Tre": 3})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Tolv")[:11], value=mixed)
    answer_all(pulse, staff_tokens(world, tokens, "Sex"), value=mixed)
    answer_all(pulse, staff_tokens(world, tokens, "Tre"), value=mixed)
    pulse = pulse_closed(world, pulse)
    bands = {
        row.name: (row.respondents_low, row.respondents_high, row.rate_low, row.rate_high)
        for row in PulseUnit.objects.filter(pulse=pulse)
    }
    assert bands["Tre"] == (0, 4, -1, -1)  # "<5", no rate
    assert bands["Tolv"][:2] == (10, 19)
    assert bands["Tolv"][2:] == (90, 100)
    assert bands["Förvaltning"][:2] in ((20, 49), (-1, -1))
    for row in PulseUnit.objects.filter(pulse=pulse):
        assert row.respondents_low is not None  # every unit says something: a band, "<5" or "not shown"
    for cell in PulseCell.objects.filter(pulse=pulse, published=True):
        assert cell.answers_low >= 5
        assert cell.answers_high == -1 or cell.answers_high >= cell.answers_low
    assert selectors.count_band_text(0, 4) == "<5"
    assert selectors.count_band_text(10, 19) == "10–19"
    assert selectors.count_band_text(500, -1) == "500+"
    assert selectors.count_band_text(-1, -1) == ""


# --- reading, sharing, the joint look --------------------------------------------------------------


@pytest.fixture
def closed_world():
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world)
    answer_all(pulse, staff_tokens(world, tokens, "Norr", "Söder"), value=mixed)
    return world, pulse_closed(world, pulse)


def test_a_unit_reads_its_own_results_and_its_part_of_the_chain_never_a_siblings(closed_world):
    world, pulse = closed_world
    norr = selectors.results_for(access_for(person=world.people["Norr"][0]), pulse)
    assert [(r.pulse_unit.name, r.is_own) for r in norr] == [("Förvaltning", True), ("Norr", True)]
    assert [item.item.code for item in norr[1].items] == pulse.items
    manager = selectors.results_for(access_for(person=world.manager), pulse)
    assert [r.pulse_unit.name for r in manager] == ["Förvaltning"]  # the units below are theirs to share


def test_administrators_do_not_read_unshared_results(closed_world):
    world, pulse = closed_world
    administrator = person_in(world, "Förvaltning", role="administrator")
    assert [r.pulse_unit.name for r in selectors.results_for(access_for(person=administrator), pulse)] == [
        "Förvaltning"
    ]


def test_a_unit_shares_its_results_with_the_levels_above_and_the_level_above_cannot_share_for_it(
    closed_world,
):
    world, pulse = closed_world
    norr = unit_row(pulse, "Norr")
    with pytest.raises(PermissionDenied):
        services.pulse_results_share(
            actor=world.manager, access=access_for(person=world.manager), pulse_unit=norr, shared=True
        )
    staff = world.people["Norr"][0]
    services.pulse_results_share(actor=staff, access=access_for(person=staff), pulse_unit=norr, shared=True)
    above = selectors.results_for(access_for(person=world.manager), pulse)
    assert [(r.pulse_unit.name, r.is_own) for r in above] == [("Förvaltning", True), ("Norr", False)]
    söder = selectors.results_for(access_for(person=world.people["Söder"][0]), pulse)
    assert "Norr" not in [r.pulse_unit.name for r in söder]
    event = AuditEvent.objects.get(organisation=world.organisation, action=AuditAction.PULSE_SHARED)
    assert event.before["shared_upward"] is False
    assert event.after["shared_upward"] is True


def test_results_are_shared_only_after_the_close():
    world = pulse_world({"Norr": 6})
    pulse, _tokens = pulse_opened(world)
    staff = world.people["Norr"][0]
    with pytest.raises(ValidationError, match="once the pulse has closed"):
        services.pulse_results_share(
            actor=staff, access=access_for(person=staff), pulse_unit=unit_row(pulse, "Norr"), shared=True
        )


def test_a_unit_opens_a_joint_look_about_its_pulse_and_thereby_shares_it(closed_world):
    world, pulse = closed_world
    manager_of_norr = person_in(world, "Norr", role="manager")
    look = services.pulse_look_open(
        actor=manager_of_norr, access=access_for(person=manager_of_norr), pulse_unit=unit_row(pulse, "Norr")
    )
    assert JointLook.objects.filter(pk=look.pk, pulse=pulse, unit=world.units["Norr"]).exists()
    assert "What does the pulse tell us?" in look.subject or "pulsen" in look.subject
    assert unit_row(pulse, "Norr").shared_upward


def test_the_unit_history_gives_one_point_per_closed_round_oldest_first():
    world = pulse_world({"Norr": 6, "Söder": 6})
    for title in ("Våren", "Hösten"):
        pulse, tokens = pulse_opened(world, title=title)
        answer_all(pulse, staff_tokens(world, tokens, "Norr", "Söder"), value=mixed)
        pulse_closed(world, pulse)
    pulse_opened(world, title="Pågår")
    points = selectors.unit_history(
        access_for(person=world.people["Norr"][0]), world.units["Norr"], "team_problems"
    )
    assert [point.pulse.title for point in points] == ["Våren", "Hösten"]
    assert all(point.cell.published for point in points)
    assert (
        selectors.unit_history(
            access_for(person=world.people["Söder"][0]), world.units["Norr"], "team_problems"
        )
        == []
    )


# --- T-57 free text --------------------------------------------------------------------------------


def free_text_world(answering: int):
    world = pulse_world({"Norr": 6, "Söder": 6})
    pulse, tokens = pulse_opened(world, asks_free_text=True)
    for index, token in enumerate(staff_tokens(world, tokens, "Norr", "Söder")[:answering]):
        services.pulse_answer(
            token=token, answers={"team_problems": mixed(index)}, free_text=f"Tanke nummer {index}"
        )
    return world, pulse


def test_free_text_below_its_threshold_of_ten_is_never_shown_nor_released():
    world, pulse = free_text_world(answering=9)
    pulse = pulse_closed(world, pulse)
    manager = access_for(person=world.manager)
    assert not selectors.free_text_for(manager, pulse, released_only=False).exists()
    assert not selectors.free_text_for(manager, pulse).exists()
    answer = FreeTextAnswer.objects.filter(pulse=pulse).exclude(text="").first()
    with pytest.raises(ValidationError, match="Fewer than 10"):
        services.free_text_release(actor=world.manager, access=manager, answer=answer, redacted="Tanke")


def test_free_text_is_hidden_while_open_and_released_only_after_the_close_and_a_redaction():
    world, pulse = free_text_world(answering=10)
    manager = access_for(person=world.manager)
    assert not selectors.free_text_for(manager, pulse, released_only=False).exists()  # not while open
    answer = FreeTextAnswer.objects.filter(pulse=pulse).exclude(text="").first()
    with pytest.raises(ValidationError, match="after the pulse has closed"):
        services.free_text_release(actor=world.manager, access=manager, answer=answer, redacted="Tanke")
    pulse = pulse_closed(world, pulse)
    to_redact = list(selectors.free_text_for(manager, pulse, released_only=False))
    assert len(to_redact) == 10
    assert not selectors.free_text_for(manager, pulse).exists()  # nothing released yet
    answer = to_redact[0]
    with pytest.raises(ValidationError):
        services.free_text_release(actor=world.manager, access=manager, answer=answer, redacted="   ")
    services.free_text_release(
        actor=world.manager, access=manager, answer=answer, redacted="En tanke [namn borttaget]"
    )
    staff = access_for(person=world.people["Norr"][0])
    assert list(selectors.free_text_for(staff, pulse).values_list("redacted", flat=True)) == [
        "En tanke [namn borttaget]"
    ]
    assert not selectors.free_text_for(staff, pulse, released_only=False).exists()  # staff do not redact
    event = AuditEvent.objects.get(
        organisation=world.organisation, action=AuditAction.PULSE_FREE_TEXT_RELEASED
    )
    assert "Tanke" not in repr((event.before, event.after, event.target_label))


def test_unreleased_free_text_is_never_returned_as_released():
    world, pulse = free_text_world(answering=12)
    pulse = pulse_closed(world, pulse)
    manager = access_for(person=world.manager)
    first = selectors.free_text_for(manager, pulse, released_only=False).first()
    services.free_text_release(actor=world.manager, access=manager, answer=first, redacted="Kort")
    released = list(selectors.free_text_for(manager, pulse))
    assert [answer.pk for answer in released] == [first.pk]
    assert all(answer.released for answer in released)


def test_staff_do_not_release_free_text():
    world, pulse = free_text_world(answering=10)
    pulse = pulse_closed(world, pulse)
    staff_person = world.people["Norr"][0]
    answer = FreeTextAnswer.objects.filter(pulse=pulse).exclude(text="").first()
    with pytest.raises(PermissionDenied):
        services.free_text_release(
            actor=staff_person, access=access_for(person=staff_person), answer=answer, redacted="x"
        )


def test_the_free_text_of_the_other_organisation_is_not_read():
    world, pulse = free_text_world(answering=10)
    pulse = pulse_closed(world, pulse)
    other = pulse_world({"Annan": 5}, slug="pulsgrannby")
    assert not selectors.free_text_for(access_for(person=other.manager), pulse, released_only=False).exists()
