"""Registers and their versions: created and adopted through the services, all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.conftest import unit
from tests.delegation.factories import SMALL_REGISTER, csv_file, register_with_version
from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.chain.access import Access
from tillit.chain.models import Role
from tillit.chain.selectors import access_for
from tillit.delegation import selectors, services
from tillit.delegation.models import DelegationEntry, DelegationRegister, RegisterVersion

SYSTEM = Access.system()  # setup code: Tillit itself

pytestmark = pytest.mark.integration


def adopt(register, content, *, actor, access=SYSTEM, decision="Beslut 2026-02-01 § 5"):
    return services.register_file_adopt(
        actor=actor,
        access=access,
        register=register,
        filename="register.csv",
        content=content,
        decision=decision,
        adopted_on=date(2026, 2, 1),
    )


@pytest.fixture
def norr_register(same_unit, home_care_north):
    return services.register_create(
        actor=same_unit, access=access_for(person=same_unit), unit=home_care_north
    )


def test_a_manager_creates_the_register_of_their_unit_and_it_is_audited(norr_register, same_unit):
    event = AuditEvent.objects.get(action=AuditAction.DELEGATION_REGISTER_CREATED, target_id=norr_register.pk)

    assert norr_register.name == "Delegationsordning för Hemtjänst Norr"
    assert (event.actor, event.unit) == (same_unit, norr_register.unit)


def test_a_unit_has_one_register(norr_register, same_unit):
    with pytest.raises(ValidationError):
        services.register_create(
            actor=same_unit, access=access_for(person=same_unit), unit=norr_register.unit
        )


def test_staff_and_managers_of_other_branches_may_not_create_or_import(
    colleague, other_branch, home_care_north, norr_register
):
    for someone in (colleague, other_branch):
        with pytest.raises(PermissionDenied):
            services.register_create(
                actor=someone, access=access_for(person=someone), unit=unit("Hemtjänst Söder")
            )
        with pytest.raises(PermissionDenied):
            services.register_import_create(
                actor=someone,
                access=access_for(person=someone),
                register=norr_register,
                filename="r.csv",
                content=SMALL_REGISTER,
            )


def test_the_administrator_may_create_the_register_of_any_unit(administrator):
    register = services.register_create(
        actor=administrator, access=access_for(person=administrator), unit=unit("Socialnämnden")
    )

    assert register.organisation_id == administrator.organisation_id


def test_applying_a_file_adopts_version_one_with_its_decision_and_audits_it(norr_register, same_unit):
    version = adopt(norr_register, SMALL_REGISTER, actor=same_unit, access=access_for(person=same_unit))

    event = AuditEvent.objects.get(action=AuditAction.DELEGATION_VERSION_ADOPTED, target_id=version.pk)
    assert (version.number, version.in_force, version.decision, version.adopted_on) == (
        1,
        True,
        "Beslut 2026-02-01 § 5",
        date(2026, 2, 1),
    )
    assert [entry.matter for entry in version.entries.order_by("position")] == [
        "Schemaläggning och fördelning av arbetstid inom arbetslaget",
        "Inköp av förbrukningsmaterial upp till 20 000 kr",
    ]
    assert event.after["entries"] == 2


def test_a_new_version_takes_over_and_the_previous_is_no_longer_in_force(norr_register, same_unit):
    first = adopt(norr_register, SMALL_REGISTER, actor=same_unit)
    second = adopt(
        norr_register,
        csv_file(
            "1;Personal;Schemaläggning och fördelning av arbetstid inom arbetslaget;Arbetslagsledare;6 kap. 37 § KL;nej;Ingen anmälan;;",
            "3;Ekonomi;Attest av fakturor;Enhetschef;;ja;;;",
        ),
        actor=same_unit,
        decision="Beslut 2026-06-01 § 9",
    )

    first.refresh_from_db()
    changes = selectors.version_changes(version=second)
    assert (first.in_force, second.in_force, second.number) == (False, True, 2)
    assert [entry.matter for entry in changes.added] == ["Attest av fakturor"]
    assert [entry.matter for entry in changes.removed] == ["Inköp av förbrukningsmaterial upp till 20 000 kr"]
    assert [(change.before.delegate, change.after.delegate, change.fields) for change in changes.changed] == [
        ("Enhetschef", "Arbetslagsledare", ("delegate",))
    ]
    assert selectors.version_changes(version=first) is None


def test_entries_without_a_number_are_compared_by_their_matter(norr_register, same_unit):
    adopt(norr_register, csv_file(";Personal;Anställning av vikarier;Enhetschef;;nej;;;"), actor=same_unit)
    second = adopt(
        norr_register, csv_file(";Personal;Anställning av vikarier;Enhetschef;;ja;;;"), actor=same_unit
    )

    changes = selectors.version_changes(version=second)

    assert (changes.added, changes.removed) == ([], [])
    assert [change.fields for change in changes.changed] == [("redelegation_allowed",)]


def test_a_file_with_any_problem_adopts_nothing_and_lists_every_problem(norr_register, same_unit):
    content = csv_file(
        "1;Personal;Anställning;Enhetschef;;nej;;;",
        "2;Personal;;Enhetschef;;nej;;;",
        "3;Personal;Ledighet;;;kanske;;;",
    )

    with pytest.raises(ValidationError) as raised:
        adopt(norr_register, content, actor=same_unit)

    assert len(raised.value.messages) == 3
    assert not RegisterVersion.objects.filter(register=norr_register).exists()
    assert not DelegationEntry.objects.filter(version__register=norr_register).exists()


def test_applying_the_same_entries_again_adopts_nothing(norr_register, same_unit):
    first = adopt(norr_register, SMALL_REGISTER, actor=same_unit)
    upload = services.register_import_create(
        actor=same_unit,
        access=Access.system(),
        register=norr_register,
        filename="same.csv",
        content=SMALL_REGISTER,
    )

    preview = services.register_import_preview(register_import=upload)
    again = services.register_import_apply(
        actor=same_unit,
        access=Access.system(),
        register_import=upload,
        decision="Beslut § 2",
        adopted_on=date(2026, 3, 1),
    )

    assert preview.equals_in_force
    assert again is None
    assert list(norr_register.versions.values_list("number", flat=True)) == [first.number]
    upload.refresh_from_db()
    assert upload.applied_at is not None
    assert upload.version is None


def test_a_file_is_applied_once(norr_register, same_unit):
    upload = services.register_import_create(
        actor=same_unit,
        access=Access.system(),
        register=norr_register,
        filename="r.csv",
        content=SMALL_REGISTER,
    )
    services.register_import_apply(
        actor=same_unit,
        access=Access.system(),
        register_import=upload,
        decision="§ 1",
        adopted_on=date(2026, 1, 1),
    )

    with pytest.raises(ValidationError):
        services.register_import_apply(
            actor=same_unit,
            access=Access.system(),
            register_import=upload,
            decision="§ 2",
            adopted_on=date(2026, 1, 2),
        )


def test_the_decision_is_required(norr_register, same_unit):
    upload = services.register_import_create(
        actor=same_unit,
        access=Access.system(),
        register=norr_register,
        filename="r.csv",
        content=SMALL_REGISTER,
    )

    with pytest.raises(ValidationError) as raised:
        services.register_import_apply(
            actor=same_unit,
            access=Access.system(),
            register_import=upload,
            decision="  ",
            adopted_on=date(2026, 1, 1),
        )

    assert "decision" in raised.value.error_dict


def test_a_delegate_named_like_a_role_is_linked_to_it_in_any_case(norr_register, same_unit):
    version = adopt(
        norr_register,
        csv_file(
            "1;Personal;Anställning;ENHETSCHEF;;nej;;;", "2;Bistånd;Hemtjänst;Biståndshandläggare;;nej;;;"
        ),
        actor=same_unit,
    )

    roles = dict(version.entries.values_list("delegate", "role__name"))

    assert roles == {"ENHETSCHEF": "Enhetschef", "Biståndshandläggare": None}


def test_a_role_of_another_organisation_is_never_linked(same_unit, other_organisation):
    grannby_only = Role.objects.create(organisation=other_organisation.organisation, name="Samordnare")
    _register, version = register_with_version(
        unit=unit("Hemtjänst Söder"),
        actor=same_unit,
        content=csv_file("1;Personal;Planering;Samordnare;;nej;;;"),
    )

    assert version.entries.get().role_id is None
    assert grannby_only.pk


def test_another_organisations_register_is_not_readable(other_organisation):
    von = DelegationRegister.objects.get(unit__name="Vård- och omsorgsnämnden")

    with pytest.raises(Http404):
        selectors.register_get_readable(access=access_for(person=other_organisation), register_id=von.pk)
