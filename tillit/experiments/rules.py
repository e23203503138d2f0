"""The named questions of experiments: who reads, changes and comments on one.

An experiment is read in its unit's chain, by invited peer units, by the whole organisation once studied,
and (studied and shared) by other organisations; it is changed by the unit's own people and those who
manage it; it is commented on by the chain and the peers.
"""

from tillit.chain.access import Access
from tillit.experiments.enums import ExperimentState


def _in_organisation(access: Access, experiment) -> bool:
    if access.is_system:
        return access.organisation_id is None or access.organisation_id == experiment.organisation_id
    return access.organisation_id == experiment.organisation_id


def is_foreign(access: Access, experiment) -> bool:
    """Read from another organisation: shown without any person's name."""
    return not _in_organisation(access, experiment)


def is_peer(access: Access, experiment) -> bool:
    """A member of an invited peer unit (or of a unit below it). Reads the experiment's peers (prefetched
    by the selectors)."""
    if access.organisation_id != experiment.organisation_id:
        return False
    paths = [peer.unit.path for peer in experiment.peers.all()]
    return any(own.startswith(path) for own in access.member_paths for path in paths)


def can_read_experiment(access: Access, experiment) -> bool:
    if _in_organisation(access, experiment):
        return (
            access.can_read(experiment.unit)
            or experiment.state == ExperimentState.STUDIED
            or is_peer(access, experiment)
        )
    return experiment.state == ExperimentState.STUDIED and experiment.shared_beyond_organisation


def can_change_experiments_of(access: Access, unit) -> bool:
    """The unit's own people, and those who manage it, while the unit is open."""
    return unit.closed_at is None and (access.can_write(unit) or access.can_manage(unit))


def can_change_experiment(access: Access, experiment) -> bool:
    return can_change_experiments_of(access, experiment.unit)


def can_comment_on_experiment(access: Access, experiment) -> bool:
    """The unit's chain and the invited peers; never another organisation, never a cancelled one."""
    if not _in_organisation(access, experiment) or experiment.state == ExperimentState.CANCELLED:
        return False
    return access.can_read(experiment.unit) or is_peer(access, experiment)
