"""A tiny world of its own for unit and integration tests, made through the chain services.

    Personas kommun (top) ── Omsorg (department) ─┬─ Enhet A: alice manages, bob works
                                                  └─ Enhet B: dave works
    Grannpersonas (another organisation) ── Grannenhet: charlie manages

Use it instead of the demo municipality when a test needs only a manager, a colleague and someone
from elsewhere; the demo stays for browser tests and the demo's own tests.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from tillit.chain import services as chain
from tillit.chain.access import Access


@dataclass(frozen=True)
class Personas:
    organisation: object
    top: object
    department: object
    unit_a: object
    unit_b: object
    alice: object  # manager of unit A
    bob: object  # staff in unit A
    dave: object  # staff in unit B (same organisation, another branch)
    other_organisation: object
    other_unit: object
    charlie: object  # manager in the other organisation


def _setup_access(organisation) -> Access:
    """Who sets an organisation up (its levels, roles and top unit): Tillit itself."""
    return Access.system(organisation.pk)


def _organisation(name: str, slug: str):
    organisation = chain.organisation_create(name=name, slug=slug)
    access = _setup_access(organisation)
    levels = [
        chain.level_create(access=access, organisation=organisation, name=level, rank=rank)
        for rank, level in enumerate(("Kommun", "Förvaltning", "Enhet"))
    ]
    roles = {
        "manager": chain.role_create(
            access=access, organisation=organisation, name="Enhetschef", can_write=True, can_manage=True
        ),
        "staff": chain.role_create(
            access=access, organisation=organisation, name="Medarbetare", can_write=True
        ),
    }
    return organisation, access, levels, roles


def _person(organisation, email: str, full_name: str, *, unit, role):
    person = get_user_model().objects.create_user(email, full_name=full_name, organisation=organisation)
    chain.membership_create(access=Access.system(organisation.pk), person=person, unit=unit, role=role)
    return person


def personas_create() -> Personas:
    organisation, access, levels, roles = _organisation("Personas kommun", "personas")

    def unit(name, parent, level):
        by = access if parent is None else Access.system(organisation.pk)
        return chain.unit_create(access=by, organisation=organisation, parent=parent, level=level, name=name)

    top = unit("Personas kommun", None, levels[0])
    department = unit("Omsorg", top, levels[1])
    unit_a, unit_b = unit("Enhet A", department, levels[2]), unit("Enhet B", department, levels[2])
    alice = _person(
        organisation, "alice@personas.test", "Alice Andersson", unit=unit_a, role=roles["manager"]
    )
    bob = _person(organisation, "bob@personas.test", "Bob Berg", unit=unit_a, role=roles["staff"])
    dave = _person(organisation, "dave@personas.test", "Dave Dahl", unit=unit_b, role=roles["staff"])

    other, other_access, other_levels, other_roles = _organisation("Grannpersonas", "grannpersonas")
    other_unit = chain.unit_create(
        access=other_access, organisation=other, parent=None, level=other_levels[0], name="Grannenhet"
    )
    charlie = _person(
        other, "charlie@grannpersonas.test", "Charlie Carlsson", unit=other_unit, role=other_roles["manager"]
    )
    return Personas(
        organisation, top, department, unit_a, unit_b, alice, bob, dave, other, other_unit, charlie
    )
