"""The register's named rules, pure: who answers a proposal to remove a report, and a data request."""

from types import SimpleNamespace

import pytest

from tests.factories.access import access_of
from tillit.burden import rules
from tillit.chain.access import Access

pytestmark = pytest.mark.unit

NORR = SimpleNamespace(pk=3, organisation_id=10, path="/1/2/3/", closed_at=None)
FORVALTNING = SimpleNamespace(pk=2, organisation_id=10, path="/1/2/", closed_at=None)
ANALYS = SimpleNamespace(pk=5, organisation_id=10, path="/1/5/", closed_at=None)


person = access_of


NORR_STAFF = person(member=["/1/2/3/"], write=[3])
FORVALTNING_HEAD = person(member=["/1/2/"], manage=["/1/2/"], write=[2])
ANALYST = person(member=["/1/5/"], write=[5])


def proposal(requester_unit):
    requirement = SimpleNamespace(
        unit=NORR, requester_unit=requester_unit, requester_unit_id=getattr(requester_unit, "pk", None)
    )
    return SimpleNamespace(requirement=requirement)


def test_a_chain_requester_answers_in_tillit_and_an_external_one_through_the_unit():
    asked_by_the_chain, asked_from_outside = proposal(FORVALTNING), proposal(None)

    assert rules.can_answer_removal(FORVALTNING_HEAD, asked_by_the_chain)
    assert not rules.can_answer_removal(NORR_STAFF, asked_by_the_chain)
    assert rules.can_answer_removal(NORR_STAFF, asked_from_outside)
    assert rules.can_answer_removal(Access.system(), asked_by_the_chain)


def test_the_support_function_answers_a_data_request_and_both_chains_read_it():
    data_request = SimpleNamespace(unit=NORR, to_unit=ANALYS)

    assert rules.can_answer_data_request(ANALYST, data_request)
    assert not rules.can_answer_data_request(NORR_STAFF, data_request)
    assert rules.can_read_data_request(NORR_STAFF, data_request)
    assert rules.can_read_data_request(ANALYST, data_request)
    assert not rules.can_read_data_request(person(member=["/1/6/"]), data_request)
