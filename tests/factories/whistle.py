"""Small whistleblowing worlds through the services: a channel with handlers, a custodian and an escrow
holder (each with keys under `PASSPHRASE`), open for reports.

    world = whistle_world()                                   # public sector, two handlers, escrow
    report, receipt = report_sent(world, text="SENTINEL-1")
    key = world.report_key(world.handlers[0], report)        # the report's private key via a key copy
    signed_in_client(client, world.handlers[0])               # a staff client that passed MFA

People: `world.handlers` (2 by default), `world.custodian`, `world.escrow`, `world.administrator`
(configures the channel, reads no case), `world.bystander` (same organisation, no role) and
`world.outsider` (another organisation).
"""

import time
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from tillit.chain import services as chain
from tillit.chain.access import Access
from tillit.whistle import crypto, files
from tillit.whistle.enums import Mode, Role, Sector
from tillit.whistle.models import Channel, Report
from tillit.whistle.services import channels, keys, reports

PASSPHRASE = "en lång nyckelfras för testerna"
PASSWORD = "ett-inloggningslösenord-2026"


@dataclass
class WhistleWorld:
    organisation: object
    channel: Channel
    handlers: list
    custodian: object
    escrow: object
    administrator: object
    bystander: object
    outsider: object
    private_keys: dict = field(default_factory=dict)  # person pk -> private key
    recovery_keys: dict = field(default_factory=dict)  # person pk -> recovery key text

    @property
    def system(self) -> Access:
        return Access.system(self.organisation.pk)

    def key(self, person) -> bytes:
        return self.private_keys[person.pk]

    def report_key(self, person, report: Report) -> bytes:
        return keys.report_key_for(person=person, private_key=self.key(person), report=report)


def _person(organisation, email: str, name: str):
    return get_user_model().objects.create_user(email, PASSWORD, full_name=name, organisation=organisation)


def whistle_world(
    *, slug: str = "vissel", sector: str = Sector.PUBLIC, handlers: int = 2, is_open: bool = True
) -> WhistleWorld:
    organisation = chain.organisation_create(name=f"{slug.title()} kommun", slug=slug)
    system = Access.system(organisation.pk)
    administrator_role = chain.role_create(
        access=system, organisation=organisation, name="Administratör", can_administer=True
    )
    level = chain.level_create(access=system, organisation=organisation, name="Förvaltning", rank=0)
    unit = chain.unit_create(
        access=system, organisation=organisation, name="Förvaltningen", level=level, parent=None
    )
    administrator = _person(organisation, f"admin@{slug}.test", "Ada Administratör")
    chain.membership_create(access=system, person=administrator, unit=unit, role=administrator_role)
    other = chain.organisation_create(name=f"Annan {slug.title()}", slug=f"annan-{slug}")
    channel = channels.channel_create(
        access=system,
        organisation=organisation,
        slug=slug,
        name=f"Visselblåsning {slug.title()}",
        sector=sector,
        procedure="Så hanteras din rapport: vi bekräftar inom sju dagar och återkopplar inom tre månader.",
        external_channels="Arbetsmiljöverket, Finansinspektionen, IMY och andra behöriga myndigheter.",
        oral_reporting="Ring 010-000 00 00 (vardagar 9–12) eller be om ett möte.",
        gallringsbeslut_ref="KS 2026/123" if sector == Sector.PUBLIC else "",
        gallringsfrist_days=5 * 365 if sector == Sector.PUBLIC else None,
    )
    world = WhistleWorld(
        organisation=organisation,
        channel=channel,
        handlers=[
            _person(organisation, f"handler{i}@{slug}.test", f"Handläggare {i}") for i in range(handlers)
        ],
        custodian=_person(organisation, f"custodian@{slug}.test", "Kim Förvaltare"),
        escrow=_person(organisation, f"escrow@{slug}.test", "Eva Arkiv"),
        administrator=administrator,
        bystander=_person(organisation, f"bystander@{slug}.test", "Bo Kollega"),
        outsider=_person(other, f"outsider@{slug}.test", "Otto Utomstående"),
    )
    grants = [(world.escrow, Role.ESCROW, "Arkivet")]
    grants += [(person, Role.HANDLER, person.full_name) for person in world.handlers]
    grants += [(world.custodian, Role.CUSTODIAN, "Identitetsförvaltare")]
    for person, role, shown in grants:
        channels.role_grant(access=system, channel=channel, person=person, role=role, shown_name=shown)
    # The escrow first, so that every later keyring is sealed to it at creation.
    keyring_of(world, world.escrow)
    keys.escrow_set_up(channel=channel, holder=world.escrow, private_key=world.key(world.escrow))
    for person in [*world.handlers, world.custodian]:
        keyring_of(world, person)
    if is_open:
        channels.channel_open(access=system, channel=channel)
    world.channel.refresh_from_db()
    return world


def keyring_of(world: WhistleWorld, person) -> bytes:
    _keyring, private_key, recovery = keys.keyring_create(person=person, passphrase=PASSPHRASE)
    world.private_keys[person.pk] = private_key
    world.recovery_keys[person.pk] = recovery
    return private_key


def pending_file(
    content: bytes, *, name: str = "bevis.pdf", content_type: str = "application/pdf"
) -> files.PendingFile:
    """An upload as the encrypting upload handler leaves it in `pending/`."""
    stored_name = str(uuid.uuid4())
    key = crypto.new_key()
    with files.path_of(files.PENDING, stored_name).open("wb") as handle:
        for chunk in crypto.encrypt_file(key, [content]):
            handle.write(chunk)
    return files.PendingFile(
        stored_name=stored_name,
        file_key=key,
        name=files.clean_name(name),
        size=len(content),
        content_type=content_type,
    )


def report_sent(
    world: WhistleWorld,
    *,
    text: str = "Det har hänt något som inte är rätt.",
    mode: str = Mode.ANONYMOUS,
    category: str | None = None,
    identity: dict | None = None,
    excluded=(),
    attachments: list[tuple[str, bytes]] = (),
) -> tuple[Report, str]:
    if mode == Mode.CONFIDENTIAL and identity is None:
        identity = {"name": "Vera Visselblåsare", "contact": "070-000 00 00", "relation": "anställd"}
    return reports.report_submit(
        channel=world.channel,
        mode=mode,
        category=category or world.channel.categories[0],
        answers={"what": text},
        identity=identity,
        excluded_ids=[person.pk for person in excluded],
        pending=[pending_file(content, name=name) for name, content in attachments],
    )


def signed_in_client(client, person):
    """A staff client signed in as `person` who passed MFA at sign-in (allauth's session record)."""
    client.force_login(person)
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp", "at": time.time()}]
    session["account_authentication_methods_user"] = str(person.pk)
    session.save()
    return client


def decrypted_file(world: WhistleWorld, person, report: Report, attachment_id) -> bytes:
    from tillit.whistle import selectors

    _meta, chunks = selectors.attachment_read(report, str(attachment_id), world.report_key(person, report))
    return b"".join(chunks)
