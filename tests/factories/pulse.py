"""Small pulse worlds through the services: a tree of units with people, a pulse opened on it, and the
tokens as the invitation e-mails carried them (the only place a token ever exists).

    world = pulse_world({"Norr": 6, "Söder": 7})             # both under the scope "Förvaltning"
    world = pulse_world({"A": 8, "A1": 3}, tree={"A1": "A"})  # A1 under A
    pulse, tokens = pulse_opened(world)                        # e-mail address → token
    answer_all(pulse, tokens.values(), value=3)
    pulse = pulse_closed(world, pulse)

The scope's manager ("chef@<slug>.test", a member of the scope itself) is invited too; leave their token
out of the answers when a test needs exact counts per unit.
"""

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
    levels: list = field(default_factory=list)
    roles: dict = field(default_factory=dict)  # "manager", "staff", "administrator"

    @property
    def system(self) -> Access:
        return Access.system(self.organisation.pk)

    def emails(self, unit_name: str) -> list[str]:
        return [person.email for person in self.people[unit_name]]


def pulse_world(
    sizes: dict[str, int], *, tree: dict[str, str] | None = None, slug: str = "pulsby"
) -> PulseWorld:
    """An organisation whose scope unit "Förvaltning" holds units of the given sizes; `tree` names a
    unit's parent (default: the scope). The scope's manager prepares the pulses."""
    organisation = chain.organisation_create(name=f"{slug.title()} kommun", slug=slug)
    system = Access.system(organisation.pk)
    levels = [
        chain.level_create(access=system, organisation=organisation, name=name, rank=rank)
        for rank, name in enumerate(("Förvaltning", "Avdelning", "Enhet", "Grupp", "Lag", "Team"))
    ]
    roles = {
        "manager": chain.role_create(
            access=system, organisation=organisation, name="Chef", can_write=True, can_manage=True
        ),
        "staff": chain.role_create(
            access=system, organisation=organisation, name="Medarbetare", can_write=True
        ),
        "administrator": chain.role_create(
            access=system, organisation=organisation, name="Administratör", can_administer=True
        ),
    }
    scope = chain.unit_create(
        access=system, organisation=organisation, name="Förvaltning", level=levels[0], parent=None
    )
    units = {"Förvaltning": scope}
    tree = tree or {}
    pending = [name for name in sizes if name != "Förvaltning"]
    while pending:
        placed = [name for name in pending if tree.get(name, "Förvaltning") in units]
        if not placed:
            raise ValueError(f"no parent for {pending}")
        for name in placed:
            parent = units[tree.get(name, "Förvaltning")]
            units[name] = chain.unit_create(
                access=system,
                organisation=organisation,
                name=name,
                level=levels[parent.depth + 1],
                parent=parent,
            )
            pending.remove(name)
    manager = get_user_model().objects.create_user(
        f"chef@{slug}.test", full_name="Chef Förvaltning", organisation=organisation
    )
    chain.membership_create(access=system, person=manager, unit=scope, role=roles["manager"])
    world = PulseWorld(
        organisation=organisation, scope=scope, units=units, manager=manager, levels=levels, roles=roles
    )
    for name, size in sizes.items():
        world.people[name] = [
            person_in(
                world,
                name,
                email=f"{name.lower().replace(' ', '-')}-{index}@{slug}.test",
                full_name=f"{name} {index}",
            )
            for index in range(size)
        ]
    return world


def person_in(world: PulseWorld, unit_name: str, *, role: str = "staff", email=None, full_name=None):
    """A new person with `role` ("staff", "manager", "administrator") in one of the world's units."""
    slug = world.organisation.slug
    number = get_user_model().objects.filter(organisation=world.organisation).count()
    email = email or f"{unit_name.lower().replace(' ', '-')}-{role}-{number}@{slug}.test"
    person = get_user_model().objects.create_user(
        email, full_name=full_name or f"{unit_name} {role} {number}", organisation=world.organisation
    )
    chain.membership_create(
        access=world.system, person=person, unit=world.units[unit_name], role=world.roles[role]
    )
    return person


def pulse_created(world: PulseWorld, **fields) -> Pulse:
    return services.pulse_create(
        actor=world.manager,
        access=world.system,
        scope=fields.pop("scope", world.scope),
        title=fields.pop("title", "Tillitspuls"),
        closes_on=fields.pop("closes_on", today() + timedelta(days=14)),
        **fields,
    )


def pulse_opened(world: PulseWorld, **fields) -> tuple[Pulse, dict[str, str]]:
    """Create and open a pulse on the world's scope and send its invitations now; returns the pulse and
    each invited person's e-mail address → token."""
    pulse = pulse_created(world, **fields)
    services.pulse_open(actor=world.manager, access=world.system, pulse=pulse)
    mail.outbox.clear()
    services.pulse_invitations_send(pulse_id=pulse.pk)
    tokens = {message.to[0]: TOKEN_IN_LINK.search(message.body).group(1) for message in mail.outbox}
    mail.outbox.clear()
    pulse.refresh_from_db()
    return pulse, tokens


def answer_all(pulse: Pulse, tokens, *, value=3, free_text: str = "") -> None:
    """Answer every item of the pulse with `value` (a number, or a function of the answer's index)."""
    for index, token in enumerate(tokens):
        number = value(index) if callable(value) else value
        services.pulse_answer(token=token, answers=dict.fromkeys(pulse.items, number), free_text=free_text)


def pulse_closed(world: PulseWorld, pulse: Pulse) -> Pulse:
    return services.pulse_close(actor=world.manager, access=world.system, pulse=pulse)
