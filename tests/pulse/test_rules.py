"""The pulse's named rules, pure: an Access made by hand and plain objects that stand for rows.

Förvaltning /1/ ── Avdelning /1/2/ ─┬─ Norr /1/2/3/
                                    └─ Söder /1/2/4/
"""

from types import SimpleNamespace

import pytest

from tests.factories.access import access_of
from tillit.chain.access import NO_ACCESS, Access
from tillit.pulse import rules
from tillit.pulse.enums import PulseState

pytestmark = pytest.mark.unit


def unit(pk, path, organisation_id=10, closed_at=None):
    return SimpleNamespace(pk=pk, path=path, organisation_id=organisation_id, closed_at=closed_at)


TOP = unit(1, "/1/")
AVDELNING = unit(2, "/1/2/")
NORR = unit(3, "/1/2/3/")
SODER = unit(4, "/1/2/4/")
ELSEWHERE = unit(9, "/9/", organisation_id=20)

TOP_MANAGER = access_of(member=["/1/"], manage=["/1/"], write=[1])
AVDELNING_MANAGER = access_of(member=["/1/2/"], manage=["/1/2/"], write=[2])
NORR_MANAGER = access_of(member=["/1/2/3/"], manage=["/1/2/3/"], write=[3])
NORR_STAFF = access_of(member=["/1/2/3/"], write=[3])
SODER_STAFF = access_of(member=["/1/2/4/"], write=[4])
ADMINISTRATOR = access_of(member=["/1/"], administers=True)  # a member of the top unit, in no role of it
AUDITOR = access_of(member=["/1/"], audits=True)
OTHER_ORGANISATION_MANAGER = access_of(member=["/9/"], manage=["/9/"], write=[9], organisation_id=20)


def pulse(state=PulseState.CLOSED, scope=TOP, organisation_id=10):
    return SimpleNamespace(state=state, scope=scope, organisation_id=organisation_id)


def row(of_unit, *, state=PulseState.CLOSED, shared=False):
    return SimpleNamespace(unit=of_unit, pulse=pulse(state), shared_upward=shared)


@pytest.mark.parametrize(
    ("access", "allowed"),
    [
        (TOP_MANAGER, True),
        (ADMINISTRATOR, True),  # administrators prepare pulses, and read no unshared result
        (Access.system(10), True),
        (AVDELNING_MANAGER, False),  # a manager below the scope does not prepare the whole scope's pulse
        (NORR_STAFF, False),
        (AUDITOR, False),
        (OTHER_ORGANISATION_MANAGER, False),
        (NO_ACCESS, False),
    ],
)
def test_only_the_scopes_managers_and_administrators_prepare_open_and_close_its_pulse(access, allowed):
    assert rules.can_prepare_pulses_for(access, TOP) is allowed
    assert rules.can_manage_pulse(access, pulse(PulseState.DRAFT)) is allowed


def test_a_manager_prepares_a_pulse_for_their_own_part_of_the_chain():
    assert rules.can_prepare_pulses_for(NORR_MANAGER, NORR)
    assert not rules.can_prepare_pulses_for(NORR_MANAGER, SODER)


def test_no_pulse_is_prepared_for_a_closed_unit():
    assert not rules.can_prepare_pulses_for(TOP_MANAGER, unit(5, "/1/5/", closed_at="2026-01-01"))


def test_another_organisations_system_access_manages_no_pulse():
    assert not rules.can_manage_pulse(Access.system(20), pulse())
    assert not rules.can_see_pulse(Access.system(20), pulse())


def test_only_administrators_change_the_thresholds():
    organisation = SimpleNamespace(pk=10)
    assert rules.can_change_pulse_settings(ADMINISTRATOR, organisation)
    assert rules.can_change_pulse_settings(Access.system(), organisation)
    assert not rules.can_change_pulse_settings(TOP_MANAGER, organisation)
    assert not rules.can_change_pulse_settings(access_of(administers=True, organisation_id=20), organisation)


@pytest.mark.parametrize(
    ("access", "of_unit", "allowed"),
    [
        (NORR_STAFF, NORR, True),  # the unit's own people
        (NORR_STAFF, AVDELNING, True),  # and the results of the part of the chain they belong to
        (NORR_STAFF, TOP, True),
        (NORR_STAFF, SODER, False),  # never a sibling's
        (SODER_STAFF, NORR, False),
        (AVDELNING_MANAGER, NORR, False),  # the level above: only when shared
        (TOP_MANAGER, NORR, False),
        (ADMINISTRATOR, NORR, False),  # administrators do not read unshared results
        (AUDITOR, NORR, False),
        (OTHER_ORGANISATION_MANAGER, NORR, False),
        (NO_ACCESS, NORR, False),
    ],
)
def test_a_units_results_are_read_by_its_own_people_only_until_it_shares_them(access, of_unit, allowed):
    assert rules.can_read_results(access, row(of_unit)) is allowed


@pytest.mark.parametrize(
    ("access", "allowed"),
    [(AVDELNING_MANAGER, True), (TOP_MANAGER, True), (ADMINISTRATOR, True), (SODER_STAFF, False)],
)
def test_shared_results_are_read_by_the_levels_above_and_not_by_siblings(access, allowed):
    assert rules.can_read_results(access, row(NORR, shared=True)) is allowed


@pytest.mark.parametrize("state", [PulseState.DRAFT, PulseState.OPEN])
def test_no_one_reads_results_before_the_pulse_closes(state):
    for access in (NORR_STAFF, NORR_MANAGER, TOP_MANAGER, ADMINISTRATOR, Access.system(10)):
        assert not rules.can_read_results(access, row(NORR, state=state, shared=True))


def test_only_the_units_own_people_share_its_results_not_the_level_above():
    assert rules.can_share_results(NORR_MANAGER, row(NORR))
    assert rules.can_share_results(NORR_STAFF, row(NORR))
    assert not rules.can_share_results(AVDELNING_MANAGER, row(NORR))
    assert not rules.can_share_results(TOP_MANAGER, row(NORR))
    assert not rules.can_share_results(ADMINISTRATOR, row(NORR))
    assert not rules.can_share_results(SODER_STAFF, row(NORR))


def test_free_text_is_released_by_the_pulses_managers_only():
    assert rules.can_release_free_text(TOP_MANAGER, pulse())
    assert not rules.can_release_free_text(NORR_STAFF, pulse())
    assert not rules.can_release_free_text(AVDELNING_MANAGER, pulse())
    assert not rules.can_release_free_text(OTHER_ORGANISATION_MANAGER, pulse())


def test_the_pulse_itself_is_seen_in_its_chain():
    assert rules.can_see_pulse(NORR_STAFF, pulse(PulseState.OPEN))
    assert rules.can_see_pulse(AUDITOR, pulse(PulseState.OPEN))
    assert not rules.can_see_pulse(OTHER_ORGANISATION_MANAGER, pulse(PulseState.OPEN))


def test_managers_above_never_read_how_their_units_see_their_own_managers():
    from types import SimpleNamespace

    from tests.factories.access import access_of
    from tillit.pulse.instrument import BY_CODE
    from tillit.pulse.rules import can_read_item

    branch = SimpleNamespace(unit=SimpleNamespace(path="/1/2/"))
    head_of_branch = access_of(member=["/1/2/"], manage=["/1/2/"])
    staff_below = access_of(member=["/1/2/5/"])

    assert not can_read_item(head_of_branch, branch, BY_CODE["manager_ability"], has_units_below=True)
    assert not can_read_item(head_of_branch, branch, BY_CODE["team_mistakes"], has_units_below=True)
    assert can_read_item(head_of_branch, branch, BY_CODE["above_ability"], has_units_below=True)
    assert can_read_item(head_of_branch, branch, BY_CODE["manager_ability"], has_units_below=False)
    assert can_read_item(staff_below, branch, BY_CODE["manager_ability"], has_units_below=True)
