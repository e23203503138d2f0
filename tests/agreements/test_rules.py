"""The agreements room's rules: pure predicates over an `Access`, the parties and the sides spoken for
(no database)."""

from datetime import UTC, datetime

import pytest

from tillit.agreements import rules
from tillit.agreements.models import Agreement, AgreementState, AgreementVersion, Side
from tillit.chain.access import Access
from tillit.chain.models import Unit

UPPER = Unit(pk=2, organisation_id=1, path="/1/2/", name="Hemtjänsten")
UNIT = Unit(pk=3, organisation_id=1, path="/1/2/3/", name="Hemtjänst Norr", parent=UPPER)
OTHER = Unit(pk=9, organisation_id=1, path="/1/9/", name="Grundskolan")
AGREEMENT = Agreement(organisation_id=1, unit=UNIT, upper_unit=UPPER)


def _person(*paths: str, write: tuple[int, ...] = (), administers: bool = False) -> Access:
    return Access(
        person_id=7,
        organisation_id=1,
        member_paths=paths,
        manage_paths=(),
        write_unit_ids=frozenset(write),
        administers=administers,
        audits=False,
    )


def test_only_the_people_who_speak_for_a_side_change_an_agreement_and_tillit_itself():
    assert rules.can_change_agreement(_person("/1/2/3/"), AGREEMENT, {Side.UNIT})
    assert not rules.can_change_agreement(_person("/1/2/3/"), AGREEMENT, set())
    assert not rules.can_change_agreement(_person("/1/9/"), AGREEMENT, {Side.UNIT})  # cannot read it
    assert rules.can_change_agreement(Access.system(), AGREEMENT, set())


def test_a_signature_needs_a_side_even_for_tillit_itself():
    assert rules.can_sign_agreement(_person("/1/2/"), AGREEMENT, {Side.UPPER})
    assert not rules.can_sign_agreement(Access.system(), AGREEMENT, set())


def test_the_two_parties_comment_and_a_reader_of_the_whole_organisation_does_not():
    assert rules.can_comment_on_agreement(_person("/1/2/3/"), AGREEMENT)
    assert rules.can_comment_on_agreement(_person("/1/2/"), AGREEMENT)
    assert not rules.can_comment_on_agreement(_person("/1/", administers=True), AGREEMENT)
    assert not rules.can_comment_on_agreement(_person("/1/9/"), AGREEMENT)


@pytest.mark.parametrize(
    ("state", "can_edit", "can_propose"),
    [
        (AgreementState.DRAFT, True, True),
        (AgreementState.PROPOSED, True, False),
        (AgreementState.SIGNED, False, False),
    ],
)
def test_an_open_version_is_edited_and_a_draft_proposed(state, can_edit, can_propose):
    version = AgreementVersion(agreement=AGREEMENT, state=state)
    speaker = _person("/1/2/3/")

    assert rules.can_edit_version(speaker, version, {Side.UNIT}) is can_edit
    assert rules.can_propose_version(speaker, version, {Side.UNIT}) is can_propose
    assert not rules.can_edit_version(speaker, version, set())


def test_nothing_changes_in_the_agreement_of_a_closed_unit():
    closed = Unit(
        pk=4, organisation_id=1, path="/1/2/4/", parent=UPPER, closed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    version = AgreementVersion(
        agreement=Agreement(organisation_id=1, unit=closed, upper_unit=UPPER), state=AgreementState.DRAFT
    )

    assert not rules.can_edit_version(_person("/1/2/4/"), version, {Side.UNIT})


def test_only_tillit_itself_sets_a_review_date_in_the_past():
    assert rules.can_set_past_review_date(Access.system())
    assert not rules.can_set_past_review_date(_person("/1/2/3/"))


def test_a_boundary_is_reported_by_a_reader_with_a_role_here_or_above():
    assert rules.can_report_boundary(_person("/1/2/"), UNIT, has_role_here_or_above=True)
    assert not rules.can_report_boundary(_person("/1/2/"), UNIT, has_role_here_or_above=False)
    assert not rules.can_report_boundary(_person("/1/9/"), UNIT, has_role_here_or_above=True)


def test_the_unit_writes_its_own_purpose():
    assert rules.can_write_purpose(_person("/1/2/3/", write=(3,)), UNIT)
    assert not rules.can_write_purpose(_person("/1/2/"), UNIT)
