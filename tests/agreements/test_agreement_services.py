"""Trust agreements: drafting, editing, proposing, commenting, signing and boundary reports."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.agreements.factories import access, indicator, person, signed_agreement
from tests.conftest import unit
from tillit.agreements import selectors, services
from tillit.agreements.models import Agreement, AgreementState, BoundaryReport, Side
from tillit.agreements.services import BoundaryInput, PromiseInput
from tillit.audit.models import AuditEvent
from tillit.chain.access import Access
from tillit.chain.models import Membership, Role
from tillit.core.clock import frozen_at

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("without_agreements")]

SOFIA = "sofia.lindberg@exempelby.se"  # avdelningschef of Hemtjänsten, the level above Hemtjänst Norr


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted as their English msgids."""
    with translation.override("en"):
        yield


@pytest.fixture
def sofia(db):
    return person(SOFIA)


@pytest.fixture
def draft(same_unit, home_care_north):
    return services.agreement_draft(actor=same_unit, access=access(same_unit), unit=home_care_north)


def _complete(version, actor, **changes):
    values = {
        "purpose": "Trygghet hemma.",
        "review_date": timezone.localdate() + timedelta(days=365),
        "mandate_items": ["Hur vi planerar dagens besök", "Vilka som går till vem"],
        "boundaries": [BoundaryInput(kind="qualitative", description="Ett besök uteblir utan besked")],
        "support_promises": [PromiseInput(text="Vi svarar på hinder", response_working_days=10)],
    } | changes
    return services.agreement_version_update(actor=actor, access=access(actor), version=version, **values)


def _propose(version, actor):
    return services.agreement_propose(actor=actor, access=access(actor), version=version)


def _sign(version, actor):
    return services.agreement_sign(actor=actor, access=access(actor), version=version)


# --- Drafting -------------------------------------------------------------------------------------


def test_the_first_draft_starts_the_agreement_with_the_parent_and_takes_the_units_purpose(
    same_unit, home_care_north, draft
):
    agreement = draft.agreement

    assert (agreement.unit, agreement.upper_unit) == (home_care_north, home_care_north.parent)
    assert (draft.number, draft.state, draft.created_by) == (1, AgreementState.DRAFT, same_unit)
    # The unit's current purpose (Aino's second version in the demo) is where the agreement starts.
    assert draft.purpose == selectors.purpose_current(unit=home_care_north).statement
    event = AuditEvent.objects.get(action="agreement.drafted", target_id=draft.pk)
    assert event.actor == same_unit
    assert event.after["copied_from"] is None


def test_a_unit_at_the_top_of_the_chain_has_no_level_above_to_agree_with(administrator):
    top = unit("Kommunfullmäktige")

    with pytest.raises(ValidationError) as error:
        services.agreement_draft(actor=administrator, access=Access.system(), unit=top)

    assert error.value.messages == ["The top of the chain has no level above to make an agreement with."]


def test_only_one_version_is_open_at_a_time(same_unit, sofia, home_care_north, draft):
    with pytest.raises(ValidationError) as error:
        services.agreement_draft(actor=sofia, access=access(sofia), unit=home_care_north)

    assert error.value.messages == [
        "A version of this agreement is already being worked on. Continue with that one."
    ]


def test_a_new_draft_copies_the_version_in_force(same_unit, sofia, home_care_north):
    falls = indicator(home_care_north)
    in_force = signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[
            BoundaryInput(kind="indicator", indicator=falls, low=1, high=12.5, description="Vi tittar"),
            BoundaryInput(kind="qualitative", description="Ett besök uteblir"),
        ],
    )

    copy = services.agreement_draft(actor=sofia, access=access(sofia), unit=home_care_north)

    assert copy.number == in_force.number + 1
    assert [i.text for i in copy.mandate_items.all()] == [i.text for i in in_force.mandate_items.all()]
    assert [(b.kind, b.indicator_id, b.low, b.high, b.description) for b in copy.boundaries.all()] == [
        ("indicator", falls.pk, 1.0, 12.5, "Vi tittar"),
        ("qualitative", None, None, None, "Ett besök uteblir"),
    ]
    assert [(p.text, p.response_working_days) for p in copy.support_promises.all()] == [
        ("Vi svarar på hinder", 10)
    ]
    assert copy.review_date == in_force.review_date  # still ahead, so it is kept
    # The copy is separate: the version in force is untouched and still in force.
    in_force.refresh_from_db()
    assert in_force.state == AgreementState.SIGNED
    assert in_force.boundaries.count() == 2


def test_a_staff_member_without_the_right_to_speak_for_the_unit_cannot_draft(colleague, home_care_north):
    with pytest.raises(PermissionDenied):
        services.agreement_draft(actor=colleague, access=access(colleague), unit=home_care_north)

    assert not selectors.agreement_for_unit(unit=home_care_north)


def test_a_manager_of_another_branch_cannot_draft(other_branch, home_care_north):
    with pytest.raises(PermissionDenied):
        services.agreement_draft(actor=other_branch, access=access(other_branch), unit=home_care_north)


# --- Editing --------------------------------------------------------------------------------------


def test_the_draft_is_edited_and_the_audit_log_keeps_before_and_after(same_unit, home_care_north, draft):
    falls = indicator(home_care_north)

    _complete(
        draft,
        same_unit,
        boundaries=[
            BoundaryInput(kind="indicator", indicator=falls.pk, high=12.5),
            {"kind": "qualitative", "description": "  Ett besök uteblir  "},
        ],
        mandate_items=["  Hur vi planerar  ", "", "Schemat"],
    )

    draft.refresh_from_db()
    assert [i.text for i in draft.mandate_items.all()] == ["Hur vi planerar", "Schemat"]
    assert [(b.kind, b.low, b.high, b.description) for b in draft.boundaries.all()] == [
        ("indicator", None, 12.5, ""),
        ("qualitative", None, None, "Ett besök uteblir"),
    ]
    event = AuditEvent.objects.get(action="agreement.updated", target_id=draft.pk)
    assert event.before["mandate_items"] == []
    assert event.after["mandate_items"] == ["Hur vi planerar", "Schemat"]
    assert event.after["boundaries"][0] == {
        "kind": "indicator",
        "indicator_id": falls.pk,
        "low": None,
        "high": 12.5,
        "description": "",
    }


def test_saving_the_same_content_again_records_nothing(same_unit, draft):
    _complete(draft, same_unit)
    events = AuditEvent.objects.filter(action="agreement.updated").count()

    _complete(draft, same_unit)

    assert AuditEvent.objects.filter(action="agreement.updated").count() == events


def test_parts_that_are_not_given_stay_as_they_are(same_unit, draft):
    _complete(draft, same_unit)

    services.agreement_version_update(
        actor=same_unit, access=access(same_unit), version=draft, purpose="Ett nytt syfte"
    )

    draft.refresh_from_db()
    assert draft.purpose == "Ett nytt syfte"
    assert draft.mandate_items.count() == 2
    assert draft.support_promises.count() == 1


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        (
            {"kind": "indicator", "high": None, "low": None},
            "Give a lower or an upper off-limits value (or both) for Fall per 1000 besöksdagar.",
        ),
        (
            {"kind": "indicator", "low": 5, "high": 5},
            "For Fall per 1000 besöksdagar the lower off-limits value must be below the upper one.",
        ),
        (
            {"kind": "indicator", "low": 9, "high": 2},
            "For Fall per 1000 besöksdagar the lower off-limits value must be below the upper one.",
        ),
        ({"kind": "qualitative", "description": "   "}, "Describe in words which event is off-limits."),
        ({"kind": "indicator", "low": float("nan")}, "Write the value as a number, e.g. 2,5."),
    ],
)
def test_invalid_boundaries_are_explained(same_unit, home_care_north, draft, boundary, message):
    if boundary["kind"] == "indicator":
        boundary = boundary | {"indicator": indicator(home_care_north)}

    with pytest.raises(ValidationError) as error:
        _complete(draft, same_unit, boundaries=[boundary])

    assert error.value.message_dict == {"boundaries": [message]}
    assert draft.boundaries.count() == 0


def test_a_boundary_cannot_use_another_units_indicator(same_unit, home_care_north, draft):
    ekskolan_absence = indicator(unit("Ekskolan"), name="Frånvaro")
    parents_indicator = indicator(home_care_north.parent, name="Väntetid")

    for foreign in (ekskolan_absence, parents_indicator):
        with pytest.raises(ValidationError) as error:
            _complete(
                draft, same_unit, boundaries=[BoundaryInput(kind="indicator", indicator=foreign, high=1)]
            )
        assert error.value.message_dict == {
            "boundaries": ["A boundary can only use an indicator that the unit itself follows."]
        }


def test_another_organisations_indicator_is_refused(same_unit, draft):
    grannby_indicator = indicator(unit("Hemtjänst Grannby", "grannby"), name="Fall")

    with pytest.raises(ValidationError):
        _complete(
            draft,
            same_unit,
            boundaries=[BoundaryInput(kind="indicator", indicator=grannby_indicator, high=1)],
        )


def test_one_boundary_per_indicator_in_a_version(same_unit, home_care_north, draft):
    falls = indicator(home_care_north)

    with pytest.raises(ValidationError) as error:
        _complete(
            draft,
            same_unit,
            boundaries=[
                BoundaryInput(kind="indicator", indicator=falls, low=1),
                BoundaryInput(kind="indicator", indicator=falls, high=9),
            ],
        )

    assert error.value.message_dict == {
        "boundaries": ["Fall per 1000 besöksdagar has more than one boundary; combine them into one."]
    }


def test_a_review_date_in_the_past_is_refused_for_people_but_allowed_for_setup(same_unit, draft):
    yesterday = timezone.localdate() - timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        _complete(draft, same_unit, review_date=yesterday)
    services.agreement_version_update(
        actor=same_unit, access=Access.system(), version=draft, review_date=yesterday
    )

    assert error.value.message_dict == {"review_date": ["The review date cannot be in the past."]}
    draft.refresh_from_db()
    assert draft.review_date == yesterday


def test_a_support_promise_answer_time_must_be_whole_working_days(same_unit, draft):
    with pytest.raises(ValidationError) as error:
        _complete(
            draft, same_unit, support_promises=[PromiseInput(text="Vi svarar", response_working_days=0)]
        )

    assert error.value.message_dict == {
        "support_promises": ["Give the answer time as a whole number of working days, 1 to 365."]
    }


def test_editing_a_proposed_version_sends_it_back_to_draft_and_removes_signatures(same_unit, sofia, draft):
    _complete(draft, same_unit)
    _propose(draft, same_unit)
    _sign(draft, same_unit)

    _complete(draft, sofia, purpose="Trygghet hemma, på egna villkor.")

    draft.refresh_from_db()
    assert draft.state == AgreementState.DRAFT
    assert draft.proposed_at is None
    assert draft.signatures.count() == 0
    event = AuditEvent.objects.filter(action="agreement.updated", target_id=draft.pk).latest("pk")
    assert (event.before["state"], event.after["state"]) == ("proposed", "draft")
    assert event.before["signatures"] == [{"side": "unit", "person_id": same_unit.pk}]
    assert event.after["signatures"] == []


def test_a_signed_version_cannot_be_edited(same_unit, sofia, home_care_north):
    version = signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)

    with pytest.raises(ValidationError) as error:
        _complete(version, same_unit, purpose="Ändrat i efterhand")

    assert error.value.messages == ["Only a version that is being worked on can be changed."]


def test_a_staff_member_cannot_edit_the_draft(colleague, draft):
    with pytest.raises(PermissionDenied):
        _complete(draft, colleague)


# --- Proposing ------------------------------------------------------------------------------------


def test_an_incomplete_draft_cannot_be_proposed_and_every_gap_is_named(same_unit, draft):
    services.agreement_version_update(actor=same_unit, access=access(same_unit), version=draft, purpose="")

    with pytest.raises(ValidationError) as error:
        _propose(draft, same_unit)

    assert error.value.messages == [
        "Write the purpose before proposing the agreement.",
        "Add at least one mandate item or boundary before proposing the agreement.",
        "Set a review date before proposing the agreement.",
    ]
    draft.refresh_from_db()
    assert draft.state == AgreementState.DRAFT


def test_the_level_above_can_propose_too(same_unit, sofia, draft):
    _complete(draft, same_unit)

    _propose(draft, sofia)

    draft.refresh_from_db()
    assert draft.state == AgreementState.PROPOSED
    assert draft.proposed_at is not None
    assert AuditEvent.objects.get(action="agreement.proposed", target_id=draft.pk).actor == sofia


# --- Signing --------------------------------------------------------------------------------------


def test_both_sides_sign_and_the_version_comes_into_force(same_unit, sofia, draft):
    _complete(draft, same_unit)
    _propose(draft, same_unit)

    first = _sign(draft, same_unit)
    draft.refresh_from_db()
    state_after_one = draft.state
    second = _sign(draft, sofia)

    draft.refresh_from_db()
    assert (first.side, first.person) == (Side.UNIT, same_unit)
    assert (second.side, second.person) == (Side.UPPER, sofia)
    assert state_after_one == AgreementState.PROPOSED
    assert draft.state == AgreementState.SIGNED
    assert draft.signed_at is not None
    assert AuditEvent.objects.filter(action="agreement.signed", target_id=draft.pk).count() == 2
    in_force = AuditEvent.objects.get(action="agreement.in_force", target_id=draft.pk)
    assert in_force.after == {"in_force": 1}


def test_the_upper_side_may_sign_first(same_unit, sofia, draft):
    _complete(draft, same_unit)
    _propose(draft, same_unit)

    signature = _sign(draft, sofia)

    assert signature.side == Side.UPPER


def test_a_new_signed_version_supersedes_the_one_in_force(same_unit, sofia, home_care_north):
    first = signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)
    second = services.agreement_draft(actor=same_unit, access=access(same_unit), unit=home_care_north)
    _complete(second, same_unit, purpose="Version två")
    _propose(second, same_unit)
    _sign(second, sofia)

    first.refresh_from_db()
    still_in_force = selectors.agreement_version_in_force(unit=home_care_north)
    _sign(second, same_unit)

    first.refresh_from_db()
    second.refresh_from_db()
    assert still_in_force.pk == first.pk  # until the second side has signed
    assert (first.state, second.state) == (AgreementState.SUPERSEDED, AgreementState.SIGNED)
    assert selectors.agreement_version_in_force(unit=home_care_north).pk == second.pk
    event = AuditEvent.objects.get(action="agreement.in_force", target_id=second.pk)
    assert (event.before, event.after) == ({"in_force": first.number}, {"in_force": second.number})


def test_the_same_person_never_signs_both_sides(same_unit, home_care_north, draft):
    # Johan is made avdelningschef of Hemtjänsten too: he speaks for both sides.
    Membership.objects.create(
        organisation=home_care_north.organisation,
        person=same_unit,
        unit=home_care_north.parent,
        role=Role.objects.get(organisation=home_care_north.organisation, name="Avdelningschef"),
    )
    _complete(draft, same_unit)
    _propose(draft, same_unit)
    first = _sign(draft, same_unit)

    with pytest.raises(ValidationError) as error:
        _sign(draft, same_unit)

    assert first.side == Side.UNIT
    assert error.value.messages == [
        "You have already signed this version. The other side must be signed by someone else."
    ]
    draft.refresh_from_db()
    assert draft.state == AgreementState.PROPOSED


def test_a_side_that_has_signed_cannot_sign_again_through_another_person(same_unit, draft, home_care_north):
    second_manager = person("aino.korhonen@exempelby.se")
    Membership.objects.create(
        organisation=home_care_north.organisation,
        person=second_manager,
        unit=home_care_north,
        role=Role.objects.get(organisation=home_care_north.organisation, name="Enhetschef"),
    )
    _complete(draft, same_unit)
    _propose(draft, same_unit)
    _sign(draft, same_unit)

    with pytest.raises(ValidationError) as error:
        _sign(draft, second_manager)

    assert error.value.messages == ["Your side has already signed this version."]


@pytest.mark.parametrize("persona", ["colleague", "other_branch", "auditor", "administrator", "politician"])
def test_people_who_do_not_speak_for_either_unit_cannot_sign(request, same_unit, draft, persona):
    # Karin chairs the nämnd three levels up: she speaks for the nämnd, not for Hemtjänsten.
    _complete(draft, same_unit)
    _propose(draft, same_unit)
    someone = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=someone, access=access(someone), version=draft)


def test_a_draft_that_is_not_proposed_cannot_be_signed(same_unit, draft):
    _complete(draft, same_unit)

    with pytest.raises(ValidationError) as error:
        _sign(draft, same_unit)

    assert error.value.messages == ["Only a proposed version can be signed."]


def test_the_chair_speaks_for_a_political_body_without_managers(politician):
    # Vård- och omsorgsförvaltningen's agreement with Vård- och omsorgsnämnden: the nämnd has a chair
    # (Ordförande, can write) and members but nobody with a managing role.
    administration = unit("Vård- och omsorgsförvaltningen")
    director = Membership.objects.get(
        unit=administration, role__can_manage=True, ended_at__isnull=True
    ).person
    member = (
        Membership.objects.filter(
            unit=administration.parent, role__name="Förtroendevald", ended_at__isnull=True
        )
        .first()
        .person
    )
    version = services.agreement_draft(actor=politician, access=access(politician), unit=administration)
    _complete(version, politician)
    _propose(version, director)

    with pytest.raises(PermissionDenied):
        _sign(version, member)  # a member of the nämnd without the chair's role does not sign
    upper = _sign(version, politician)
    lower = _sign(version, director)

    version.refresh_from_db()
    assert (upper.side, lower.side) == (Side.UPPER, Side.UNIT)
    assert version.state == AgreementState.SIGNED


def test_where_a_unit_has_a_manager_the_writers_do_not_speak_for_it(colleague, home_care_north):
    agreement = selectors.agreement_for_unit(unit=home_care_north) or Agreement(
        organisation_id=home_care_north.organisation_id,
        unit=home_care_north,
        upper_unit=home_care_north.parent,
    )

    assert selectors.sides_spoken_for(person=colleague, agreement=agreement) == set()


def test_setup_code_signs_with_a_date_in_the_past(same_unit, sofia, draft):
    _complete(draft, same_unit)
    services.agreement_propose(actor=same_unit, access=Access.system(), version=draft)
    then = timezone.now() - timedelta(days=400)

    with frozen_at(then):
        services.agreement_sign(actor=same_unit, access=Access.system(), version=draft)
        services.agreement_sign(actor=sofia, access=Access.system(), version=draft)

    draft.refresh_from_db()
    assert draft.signed_at == then
    assert {s.signed_at for s in draft.signatures.all()} == {then}
    assert draft.created_at == draft.proposed_at == then


# --- Comments -------------------------------------------------------------------------------------


def test_staff_of_either_unit_comment_on_an_open_version(colleague, sofia, draft):
    comment = services.agreement_comment(
        actor=colleague, access=access(colleague), version=draft, text="  Kan vi lägga till helgerna?  "
    )
    services.agreement_comment(actor=sofia, access=access(sofia), version=draft, text="Ja.")

    assert comment.text == "Kan vi lägga till helgerna?"
    assert [c.author for c in draft.comments.all()] == [colleague, sofia]
    assert AuditEvent.objects.filter(action="agreement.commented", target_id=draft.pk).count() == 2


def test_people_above_the_two_units_read_but_do_not_comment(politician, draft):
    with pytest.raises(PermissionDenied):
        services.agreement_comment(actor=politician, access=access(politician), version=draft, text="Hej")


def test_an_empty_comment_is_refused(colleague, draft):
    with pytest.raises(ValidationError) as error:
        services.agreement_comment(actor=colleague, access=access(colleague), version=draft, text="  ")

    assert error.value.message_dict == {"text": ["Write a comment."]}


def test_a_signed_version_takes_no_more_comments(same_unit, sofia, home_care_north):
    version = signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)

    with pytest.raises(ValidationError):
        services.agreement_comment(actor=same_unit, access=access(same_unit), version=version, text="Sent")


# --- Boundary reports -----------------------------------------------------------------------------


@pytest.fixture
def event_boundary(same_unit, sofia, home_care_north):
    version = signed_agreement(unit=home_care_north, unit_signer=same_unit, upper_signer=sofia)
    return version.boundaries.get(kind="qualitative")


@pytest.mark.parametrize("persona", ["colleague", "same_unit", "politician"])
def test_people_in_the_unit_or_above_report_that_a_boundary_was_crossed(request, event_boundary, persona):
    reporter = request.getfixturevalue(persona)

    report = services.boundary_report_create(
        actor=reporter,
        access=access(reporter),
        boundary=event_boundary,
        occurred_on=timezone.localdate(),
        description=" Ett besök uteblev i tisdags. ",
    )

    assert (report.unit, report.reported_by, report.description) == (
        event_boundary.version.agreement.unit,
        reporter,
        "Ett besök uteblev i tisdags.",
    )
    assert AuditEvent.objects.get(action="boundary.reported", target_id=report.pk).actor == reporter


@pytest.mark.parametrize("persona", ["auditor", "administrator"])
def test_readers_of_the_whole_organisation_do_not_report(request, event_boundary, persona):
    reader = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.boundary_report_create(
            actor=reader,
            access=access(reader),
            boundary=event_boundary,
            occurred_on=timezone.localdate(),
            description="x",
        )


def test_a_boundary_report_cannot_be_dated_in_the_future(colleague, event_boundary):
    with pytest.raises(ValidationError) as error:
        services.boundary_report_create(
            actor=colleague,
            access=access(colleague),
            boundary=event_boundary,
            occurred_on=timezone.localdate() + timedelta(days=1),
            description="Imorgon",
        )

    assert error.value.message_dict == {"occurred_on": ["The date cannot be in the future."]}
    assert not BoundaryReport.objects.filter(boundary=event_boundary).exists()


def test_only_qualitative_boundaries_of_the_version_in_force_are_reported(
    same_unit, sofia, colleague, home_care_north
):
    falls = indicator(home_care_north)
    version = signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[
            BoundaryInput(kind="indicator", indicator=falls, high=10),
            BoundaryInput(kind="qualitative", description="Ett besök uteblir"),
        ],
    )
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)

    def report(boundary):
        services.boundary_report_create(
            actor=colleague,
            access=access(colleague),
            boundary=boundary,
            occurred_on=timezone.localdate(),
            description="x",
        )

    with pytest.raises(ValidationError) as on_indicator:
        report(version.boundaries.get(kind="indicator"))
    with pytest.raises(ValidationError) as on_draft:
        report(draft.boundaries.get(kind="qualitative"))

    assert on_indicator.value.messages == [
        "Indicator boundaries are followed in the data; only events are reported."
    ]
    assert on_draft.value.messages == ["Only a boundary of the agreement in force can be reported."]


def test_a_reported_boundary_is_kept_when_the_next_version_changes_its_boundaries(
    same_unit, sofia, colleague, event_boundary, home_care_north
):
    services.boundary_report_create(
        actor=colleague,
        access=access(colleague),
        boundary=event_boundary,
        occurred_on=timezone.localdate(),
        description="x",
    )
    draft = services.agreement_draft(actor=same_unit, access=access(same_unit), unit=home_care_north)

    _complete(draft, same_unit, boundaries=[BoundaryInput(kind="qualitative", description="Något annat")])

    assert BoundaryReport.objects.filter(boundary=event_boundary).count() == 1
