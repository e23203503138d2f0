"""The demo's delegation registers (delegationsordningar), loaded from CSV files through the import.

Vård- och omsorgsnämnden has two versions (2024 and the one in force since March 2026, with a few
changes between them); Barn- och utbildningsnämnden has one. The files in `data/` are what a nämnd's
secretary would keep; they go through the same upload, check and apply as a file from the pages.
"""

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model

from tillit.chain.models import Unit
from tillit.chain.selectors import access_for
from tillit.delegation import services

DATA = Path(__file__).parent / "data"
ADMINISTRATOR = "elin.wallin@exempelby.se"

# nämnd → (register name, [(file, decision, adopted on), ...] oldest first)
REGISTERS = {
    "Vård- och omsorgsnämnden": (
        "Delegationsordning för vård- och omsorgsnämnden",
        [
            ("delegation_von_2024.csv", "VON 2024-02-15 § 12", date(2024, 2, 15)),
            ("delegation_von_2026.csv", "VON 2026-03-12 § 34", date(2026, 3, 12)),
        ],
    ),
    "Barn- och utbildningsnämnden": (
        "Delegationsordning för barn- och utbildningsnämnden",
        [("delegation_bun_2025.csv", "BUN 2025-11-20 § 88", date(2025, 11, 20))],
    ),
}


def delegation_load(*, organisation) -> None:
    """The registers of Exempelby, adopted by its administrator (who keeps the nämnder's documents)."""
    actor = get_user_model().objects.get(email=ADMINISTRATOR, organisation=organisation)
    access = access_for(person=actor)
    for unit_name, (name, versions) in REGISTERS.items():
        unit = Unit.objects.get(organisation=organisation, name=unit_name)
        register = services.register_create(actor=actor, access=access, unit=unit, name=name)
        for filename, decision, adopted_on in versions:
            services.register_file_adopt(
                actor=actor,
                access=access,
                register=register,
                filename=filename,
                content=(DATA / filename).read_bytes(),
                decision=decision,
                adopted_on=adopted_on,
            )
