"""Small pulse worlds through the services: a tree of units with people, a pulse opened on it, and the
tokens as the invitation e-mails carried them (the only place a token ever exists)."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail

from tillit.chain import services as chain
from tillit.chain.access import Access
from tillit.core.clock import today
from tillit.pulse import services
from tillit.pulse.models import Pulse

TOKEN_IN_LINK = re.compile(r"#([a-z2-7]{26})")


@dataclass
class PulseWorld:
    organisation: object
    scope: object
    units: dict  # name → unit
    manager: object
    people: dict = field(default_factory=dict)  # unit name → list of people


def pulse_world(
    sizes: dict[str, int], *, tree: dict[str, str] | None = None, slug: str = "pulsby"
) -> PulseWorld:
    """An organisation whose scope unit "Förvaltning" holds units of the given sizes; `tree` names a
    unit's parent (default: the scope). The scope's manager prepares the pulses."""
    organisation = chain.organisation_create(name=f"{slug.title()} kommun", slug=slug)
    system = Access.system(organisation.pk)
    levels = [
        chain.level_create(access=system, organisation=organisation, name=name, rank=rank)
        for rank, name in enumerate(("Förvaltning", "Avdelning", "Enhet", "Grupp"))
    ]
    manager_role = chain.role_create(
        access=system, organisation=organisation, name="Chef", can_write=True, can_manage=True
    )
    staff_role = chain.role_create(
        access=system, organisation=organisation, name="Medarbetare", can_write=True
    )
    scope = chain.unit_create(access=system, organisation=organisation, name="Förvaltning", level=levels[0])
    units = {"Förvaltning": scope}
    pending = dict(sizes)
    tree = tree or {}
    while len(units) < len(pending) + 1 - ("Förvaltning" in pending):
        for name in pending:
            if name in units:
                continue
            parent = units.get(tree.get(name, "Förvaltning"))
            if parent is None:
                continue
            units[name] = chain.unit_create(
                access=system,
                organisation=organisation,
                name=name,
                level=levels[parent.depth + 1],
                parent=parent,
            )
    people = get_user_model().objects
    manager = people.create_user(f"chef@{slug}.test", full_name="Chef Förvaltning", organisation=organisation)
    chain.membership_create(access=system, person=manager, unit=scope, role=manager_role)
    world = PulseWorld(organisation=organisation, scope=scope, units=units, manager=manager)
    for name, size in sizes.items():
        world.people[name] = []
        for index in range(size):
            person = people.create_user(
                f"{name.lower().replace(' ', '-')}-{index}@{slug}.test",
                full_name=f"{name} {index}",
                organisation=organisation,
            )
            chain.membership_create(access=system, person=person, unit=units[name], role=staff_role)
            world.people[name].append(person)
    return world


def pulse_opened(world: PulseWorld, **fields) -> tuple[Pulse, dict[str, str]]:
    """Create and open a pulse on the world's scope and send its invitations now; returns the pulse and
    each invited person's e-mail address → token."""
    access = Access.system(world.organisation.pk)
    pulse = services.pulse_create(
        actor=world.manager,
        access=access,
        scope=world.scope,
        title=fields.pop("title", "Tillitspuls"),
        closes_on=fields.pop("closes_on", today() + timedelta(days=14)),
        **fields,
    )
    services.pulse_open(actor=world.manager, access=access, pulse=pulse)
    mail.outbox.clear()
    services.pulse_invitations_send(pulse_id=pulse.pk)
    tokens = {message.to[0]: TOKEN_IN_LINK.search(message.body).group(1) for message in mail.outbox}
    pulse.refresh_from_db()
    return pulse, tokens
