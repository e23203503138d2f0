"""The chain's named rules, pure: no database, an Access and plain objects that stand for rows."""

from types import SimpleNamespace

import pytest

from tests.factories.access import access_of
from tillit.chain import rules
from tillit.chain.access import NO_ACCESS, Access

pytestmark = pytest.mark.unit

TOP = SimpleNamespace(pk=1, organisation_id=10, path="/1/", closed_at=None)
NORR = SimpleNamespace(pk=3, organisation_id=10, path="/1/2/3/", closed_at=None)
SODER = SimpleNamespace(pk=4, organisation_id=10, path="/1/2/4/", closed_at=None)
ELSEWHERE = SimpleNamespace(pk=9, organisation_id=20, path="/9/", closed_at=None)
PLAIN = SimpleNamespace(can_administer=False, can_audit=False)
ADMINISTERING = SimpleNamespace(can_administer=True, can_audit=False)


person = access_of


MANAGER = person(member=["/1/2/3/"], manage=["/1/2/3/"], write=[3])
STAFF = person(member=["/1/2/3/"], write=[3])
ADMINISTRATOR = person(member=["/1/"], administers=True)


@pytest.mark.parametrize(
    ("access", "organisation_id", "allowed"),
    [
        (ADMINISTRATOR, 10, True),
        (ADMINISTRATOR, 20, False),
        (MANAGER, 10, False),
        (NO_ACCESS, None, False),  # a platform operator administers no organisation
        (Access.system(), 20, True),
        (Access.system(10), 10, True),
        (Access.system(10), 20, False),
    ],
)
def test_who_administers_an_organisation(access, organisation_id, allowed):
    assert rules.can_administer(access, organisation_id) is allowed


def test_a_top_unit_is_created_by_an_administrator_and_a_sub_unit_by_a_manager_of_its_parent():
    assert rules.can_create_unit(ADMINISTRATOR, organisation_id=10, parent=None)
    assert not rules.can_create_unit(MANAGER, organisation_id=10, parent=None)
    assert rules.can_create_unit(MANAGER, organisation_id=10, parent=NORR)
    assert not rules.can_create_unit(MANAGER, organisation_id=10, parent=SODER)


def test_a_unit_moves_only_between_places_the_person_manages():
    assert rules.can_move_unit(ADMINISTRATOR, NORR, SODER)
    assert not rules.can_move_unit(MANAGER, NORR, SODER)
    assert not rules.can_move_unit(ADMINISTRATOR, NORR, ELSEWHERE)


def test_roles_that_administer_or_audit_are_given_only_by_administrators():
    assert rules.can_give_role(MANAGER, NORR, PLAIN)
    assert not rules.can_give_role(MANAGER, NORR, ADMINISTERING)
    assert not rules.can_give_role(STAFF, NORR, PLAIN)
    assert rules.can_give_role(ADMINISTRATOR, NORR, ADMINISTERING)
    assert rules.can_give_role(Access.system(), NORR, ADMINISTERING)


def test_what_belongs_to_a_unit_is_changed_by_its_own_people_while_it_is_open():
    closed = SimpleNamespace(**(vars(NORR) | {"closed_at": "2026-01-01"}))

    assert rules.can_change_unit(STAFF, NORR)
    assert not rules.can_change_unit(STAFF, closed)
    assert not rules.can_change_unit(STAFF, SODER)
    assert rules.can_read_unit(STAFF, TOP)  # the chain above is read
    assert not rules.can_write_in_unit(STAFF, TOP)
