"""The demo's delegation registers: two nämnder, loaded from CSV files through the import."""

import pytest

from tillit.audit.enums import AuditAction
from tillit.audit.models import AuditEvent
from tillit.chain.models import Membership
from tillit.delegation.models import DelegationEntry, DelegationRegister, RegisterImport

pytestmark = pytest.mark.integration

# Another part of the demo (obstacle routing) finds its mandate holders through these entries.
ROUTED_MATTERS = {
    "Beslut om bistånd i form av hemtjänst": "Biståndshandläggare",
    "Inköp av varor och tjänster inom enhetens budget upp till 100 000 kr": "Enhetschef",
    "Inköp av arbetsutrustning och IT-utrustning över 100 000 kr upp till 1 000 000 kr": "Avdelningschef",
    "Schemaläggning och fördelning av arbetstid inom enheten": "Enhetschef",
    "Beslut om ändrade rutiner för dokumentation i verksamhetssystemet": "Förvaltningschef",
}


def von():
    return DelegationRegister.objects.get(
        unit__name="Vård- och omsorgsnämnden", organisation__slug="exempelby"
    )


def test_exempelby_has_registers_for_two_nämnder_and_grannby_none(db):
    registers = DelegationRegister.objects.order_by("unit__path")

    assert [(r.organisation.slug, r.unit.name) for r in registers] == [
        ("exempelby", "Vård- och omsorgsnämnden"),
        ("exempelby", "Barn- och utbildningsnämnden"),
    ]


def test_the_vård_och_omsorg_register_has_two_versions_from_csv_files(db):
    versions = list(von().versions.order_by("number"))

    assert [(v.number, v.decision, v.in_force, v.source_name) for v in versions] == [
        (1, "VON 2024-02-15 § 12", False, "delegation_von_2024.csv"),
        (2, "VON 2026-03-12 § 34", True, "delegation_von_2026.csv"),
    ]
    assert [v.entries.count() for v in versions] == [36, 36]
    assert RegisterImport.objects.filter(register=von(), version__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.DELEGATION_VERSION_ADOPTED).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.DELEGATION_REGISTER_CREATED).count() == 2


def test_the_barn_och_utbildning_register_covers_skolskjuts_and_the_school_law(db):
    entries = DelegationEntry.objects.filter(version__register__unit__name="Barn- och utbildningsnämnden")

    assert entries.count() == 29
    assert entries.filter(matter_group="Skolskjuts").count() == 4
    assert entries.filter(legal_basis__contains="skollagen").count() >= 15


def test_the_entries_other_parts_route_by_are_in_force(db):
    in_force = DelegationEntry.objects.filter(version__register=von(), version__in_force=True)

    assert {e.matter: e.delegate for e in in_force.filter(matter__in=ROUTED_MATTERS)} == ROUTED_MATTERS
    home_care = in_force.get(matter="Beslut om bistånd i form av hemtjänst")
    assert (home_care.legal_basis, home_care.redelegation_allowed, home_care.reporting) == (
        "4 kap. 1 § SoL",
        False,
        "Månadsvis till nämnden",
    )
    # Delegates that are roles are linked to them; Biståndshandläggare is a title.
    assert (
        in_force.get(matter="Schemaläggning och fördelning av arbetstid inom enheten").role.name
        == "Enhetschef"
    )
    assert home_care.role is None


def test_biståndsenheten_has_three_biståndshandläggare(db):
    staff = Membership.objects.filter(
        unit__name="Biståndsenheten", title="Biståndshandläggare", ended_at__isnull=True
    )

    assert staff.count() == 3
    assert staff.first().unit.parent.name == "Vård- och omsorgsförvaltningen"
