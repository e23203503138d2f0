"""The persona world of tests/factories/personas.py: who reads and manages what."""

import pytest

from tillit.chain.selectors import access_for

pytestmark = [pytest.mark.integration, pytest.mark.no_demo]


def test_alice_manages_unit_a_bob_works_there_dave_in_b_and_charlie_is_elsewhere(
    personas, alice, bob, dave, charlie
):
    alice_access, bob_access, charlie_access = (access_for(person=p) for p in (alice, bob, charlie))

    assert alice_access.can_manage(personas.unit_a)
    assert not alice_access.can_manage(personas.unit_b)
    assert bob_access.can_write(personas.unit_a)
    assert not bob_access.can_manage(personas.unit_a)
    assert alice_access.can_read(personas.department)
    assert alice_access.can_read(personas.top)
    assert not charlie_access.can_read(personas.unit_a)
    assert charlie_access.can_manage(personas.other_unit)
    assert not alice_access.can_read(personas.other_unit)
    assert access_for(person=dave).can_write(personas.unit_b)
    assert not access_for(person=dave).can_write(personas.unit_a)
    assert personas.unit_a.path.startswith(personas.department.path)
