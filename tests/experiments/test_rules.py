"""The experiments' named rules, pure: who reads, changes and comments on an experiment."""

from types import SimpleNamespace

import pytest

from tests.factories.access import access_of
from tillit.chain.access import Access
from tillit.experiments import rules
from tillit.experiments.enums import ExperimentState

pytestmark = pytest.mark.unit

NORR = SimpleNamespace(pk=3, organisation_id=10, path="/1/2/3/", closed_at=None)
VASTER = SimpleNamespace(pk=5, organisation_id=10, path="/1/2/5/", closed_at=None)


person = access_of


def experiment(state=ExperimentState.RUNNING, *, shared=False, peers=()):
    return SimpleNamespace(
        organisation_id=10,
        unit=NORR,
        state=state,
        shared_beyond_organisation=shared,
        peers=SimpleNamespace(all=lambda: [SimpleNamespace(unit=unit) for unit in peers]),
    )


NORR_STAFF = person(member=["/1/2/3/"], write=[3])
VASTER_STAFF = person(member=["/1/2/5/"], write=[5])
GRANNBY = person(member=["/9/"], organisation_id=20)


def test_an_invited_peer_reads_and_comments_but_does_not_change():
    invited = experiment(peers=[VASTER])

    assert rules.is_peer(VASTER_STAFF, invited)
    assert rules.can_read_experiment(VASTER_STAFF, invited)
    assert rules.can_comment_on_experiment(VASTER_STAFF, invited)
    assert not rules.can_change_experiment(VASTER_STAFF, invited)
    assert not rules.can_read_experiment(VASTER_STAFF, experiment())
    assert rules.can_change_experiment(NORR_STAFF, invited)


def test_another_organisation_reads_only_a_studied_and_shared_experiment_and_never_comments():
    shared = experiment(ExperimentState.STUDIED, shared=True)

    assert rules.is_foreign(GRANNBY, shared)
    assert rules.can_read_experiment(GRANNBY, shared)
    assert not rules.can_read_experiment(GRANNBY, experiment(ExperimentState.STUDIED))
    assert not rules.can_comment_on_experiment(GRANNBY, shared)


def test_tillit_itself_comments_in_any_organisation_but_one_bound_to_another_does_not():
    assert rules.can_comment_on_experiment(Access.system(), experiment())
    assert not rules.is_foreign(Access.system(10), experiment())
    assert not rules.can_comment_on_experiment(Access.system(20), experiment())
    assert not rules.can_comment_on_experiment(NORR_STAFF, experiment(ExperimentState.CANCELLED))
