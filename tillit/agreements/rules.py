"""Who may do what in the agreements room: named predicates asked by the services (through
`core.permissions.require`), the views (which hand booleans to the templates) and the API.

Pure and cheap: what needs a query (which sides a person speaks for, whether they hold a role in the
chain) is read once by a selector and passed in.
"""

from tillit.agreements.models import OPEN_STATES, Agreement, AgreementState, AgreementVersion
from tillit.chain.access import Access


def can_write_purpose(access: Access, unit) -> bool:
    """Only the unit's own people write its purpose."""
    return access.can_write(unit)


def can_read_agreement(access: Access, agreement: Agreement) -> bool:
    """Outside the person's chain the agreement does not exist for them."""
    return access.can_read(agreement.unit)


def units_are_open(agreement: Agreement) -> bool:
    """Neither party is closed: the agreement of a closed unit cannot be changed."""
    return agreement.unit.closed_at is None and agreement.upper_unit.closed_at is None


def can_change_agreement(access: Access, agreement: Agreement, sides: set[str]) -> bool:
    """Draft, edit and propose: a person who speaks for the unit or the level above (`sides`, from
    `selectors.sides_spoken_for`); Tillit itself (setup and demo) whoever its actor is."""
    return can_read_agreement(access, agreement) and (access.is_system or bool(sides))


def can_sign_agreement(access: Access, agreement: Agreement, sides: set[str]) -> bool:
    """Signing needs a side spoken for, even for Tillit itself: a signature is a person's."""
    return can_read_agreement(access, agreement) and bool(sides)


def can_start_draft(access: Access, unit, sides: set[str], *, open_version) -> bool:
    """The agreement page's "start a new version": a speaker, no open version, both units open."""
    return (
        access.can_read(unit)
        and bool(sides)
        and open_version is None
        and unit.closed_at is None
        and unit.parent is not None
        and unit.parent.closed_at is None
    )


def can_edit_version(access: Access, version: AgreementVersion, sides: set[str]) -> bool:
    return (
        version.state in OPEN_STATES
        and units_are_open(version.agreement)
        and can_change_agreement(access, version.agreement, sides)
    )


def can_propose_version(access: Access, version: AgreementVersion, sides: set[str]) -> bool:
    return version.state == AgreementState.DRAFT and can_edit_version(access, version, sides)


def can_sign_version(access: Access, version: AgreementVersion, sides: set[str], *, person) -> bool:
    """A proposed version, a side of the person's not signed yet, and not signed by them already."""
    signatures = {signature.side: signature for signature in version.signatures.all()}
    signed_by_person = any(signature.person_id == person.pk for signature in signatures.values())
    return (
        version.state == AgreementState.PROPOSED
        and units_are_open(version.agreement)
        and can_sign_agreement(access, version.agreement, sides)
        and not signed_by_person
        and any(side not in signatures for side in sides)
    )


def can_comment_on_agreement(access: Access, agreement: Agreement) -> bool:
    """The two parties comment: an active role in the unit or in the level above."""
    if access.is_system:
        return True
    paths = {agreement.unit.path, agreement.upper_unit.path}
    return access.can_read(agreement.unit) and any(path in paths for path in access.member_paths)


def can_comment_on_version(access: Access, version: AgreementVersion) -> bool:
    return version.state in OPEN_STATES and can_comment_on_agreement(access, version.agreement)


def can_set_past_review_date(access: Access) -> bool:
    """People set a review date ahead; Tillit itself (setup, the demo's history) may set any date."""
    return access.is_system


def can_report_boundary(access: Access, unit, *, has_role_here_or_above: bool) -> bool:
    """Report a qualitative boundary of the unit: an active role in the unit or above it in the chain
    (`selectors.has_role_here_or_above`); reading the whole organisation is not being part of it."""
    return access.can_read(unit) and has_role_here_or_above
