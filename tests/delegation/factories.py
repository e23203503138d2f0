"""Small builders for delegation tests: register files and registers adopted through the services."""

from datetime import date

from tillit.chain.access import Access
from tillit.delegation import services
from tillit.delegation.models import DelegationRegister

HEADER = "Nr;Ärendegrupp;Ärende;Delegat;Lagrum;Vidaredelegering;Anmälan;Ersättare;Kommentar"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


SMALL_REGISTER = csv_file(
    "1;Personal;Schemaläggning och fördelning av arbetstid inom arbetslaget;Enhetschef;6 kap. 37 § KL;nej;Ingen anmälan;;",
    "2;Ekonomi;Inköp av förbrukningsmaterial upp till 20 000 kr;Enhetschef;6 kap. 37 § KL;nej;Ingen anmälan;;",
)


def register_with_version(
    *, unit, actor, content: bytes = SMALL_REGISTER, decision: str = "Beslut 2026-01-10 § 1"
):
    register = DelegationRegister.objects.filter(unit=unit).first() or services.register_create(
        actor=actor, access=Access.system(), unit=unit, name=f"Delegationsordning för {unit.name}"
    )
    version = services.register_file_adopt(
        actor=actor,
        access=Access.system(),
        register=register,
        filename="register.csv",
        content=content,
        decision=decision,
        adopted_on=date(2026, 1, 10),
    )
    return register, version


def delegation_targets(*, unit, person) -> dict:
    """For the isolation test: a register of `unit` with a version in force and an uploaded file not
    applied yet (made through the services by the unit's manager)."""
    register, version = register_with_version(unit=unit, actor=person)
    pending = services.register_import_create(
        actor=person, access=Access.system(), register=register, filename="next.csv", content=SMALL_REGISTER
    )
    return {"register_id": register.pk, "register_version_id": version.pk, "register_import_id": pending.pk}
