"""Visselblåsning in the demo: Exempelby kommun's internal reporting channel and five cases.

The channel is a public body's (the reports are allmänna handlingar): key escrow held by the registrator,
a gallring decision that keeps closed cases two years. Four people of its own, each with the demo
password, a TOTP authenticator under one documented demo secret (the staff pages need two-factor
sign-in) and keys under one documented demo key passphrase:

- Greta Wikström, kommunjurist: behörig handläggare;
- Tomas Öberg of Visslan Juridik AB: the external handler, shown to reporters as such;
- Birgitta Falk, kanslichef: identitetsförvaltare (decides identity requests, reads no case);
- Rolf Dahl, registrator och arkivarie: holds the key escrow.

Five reports, written through the services under `frozen_at`, counted back from the day the demo is
loaded so that the legal clocks always show the same picture: one new and not yet acknowledged (within
its seven days), one acknowledged with messages both ways and an identity request waiting, one oral
report whose transcript the reporter approved, one whose feedback is overdue (the reporter excluded
Greta from it), and one closed with feedback, waiting for its gallring date. The hourly e-mails of the
demo's past count as sent.

Argon2id runs eleven times (four keyrings, five receipts, one sign-in and one new receipt): about a
second at the production cost.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from tillit.chain.access import Access
from tillit.core.clock import frozen_at, today
from tillit.whistle import crypto, files
from tillit.whistle.enums import MessageKind, Mode, Role, Sector
from tillit.whistle.models import Channel, Report
from tillit.whistle.services import cases, channels, identity, keys, reports

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHANNEL_SLUG = "exempelby"
CHANNEL_NAME = "Visselblåsning Exempelby kommun"
DEMO_KEY_PASSPHRASE = "tillit-demo-nyckelfras"  # noqa: S105 -- printed on purpose: demo keys only
# Base32, 20 bytes: add it to any authenticator app (TOTP, 6 digits, 30 s), or run `make demo-code`.
DEMO_TOTP_SECRET = "TILLITDEMOVISSELBLASNINGTOTP2345"  # noqa: S105 -- printed on purpose
GALLRINGSBESLUT = "KS 2024/117 § 42 (dokumenthanteringsplan för kommunstyrelsen)"
GALLRINGSFRIST_DAYS = 2 * 365


@dataclass(frozen=True)
class WhistlePerson:
    email: str
    name: str
    role: str
    shown_name: str
    description: str
    external_provider: str = ""


PEOPLE = (
    WhistlePerson(
        "rolf.dahl@exempelby.se",
        "Rolf Dahl",
        Role.ESCROW,
        "Registrator och arkivarie",
        "visselblåsning: nyckeldeponering (registrator och arkivarie)",
    ),
    WhistlePerson(
        "greta.wikstrom@exempelby.se",
        "Greta Wikström",
        Role.HANDLER,
        "Greta Wikström, kommunjurist",
        "visselblåsning: behörig handläggare (kommunjurist)",
    ),
    WhistlePerson(
        "tomas.oberg@visslan.example",
        "Tomas Öberg",
        Role.HANDLER,
        "Extern handläggare – Visslan Juridik AB",
        "visselblåsning: extern behörig handläggare, Visslan Juridik AB",
        external_provider="Visslan Juridik AB",
    ),
    WhistlePerson(
        "birgitta.falk@exempelby.se",
        "Birgitta Falk",
        Role.CUSTODIAN,
        "Identitetsförvaltare (kanslichef)",
        "visselblåsning: identitetsförvaltare (kanslichef)",
    ),
)

PROCEDURE = (
    "Din rapport tas emot av kommunens behöriga handläggare: kommunjuristen och en extern handläggare "
    "från Visslan Juridik AB. Ingen annan kan läsa den, inte heller kommunens IT-avdelning. Du kan "
    "utesluta en handläggare om du misstänker jäv. Vi bekräftar att vi tagit emot rapporten inom sju "
    "dagar och berättar inom tre månader vad vi har gjort eller tänker göra, och varför. Du följer "
    "ärendet och skriver till oss i inkorgen med ditt kvitto. Rapporten är en allmän handling men "
    "omfattas av sekretess; uppgifter som kan avslöja vem du är lämnas inte ut."
)
EXTERNAL_CHANNELS = (
    "Du kan också rapportera externt till den myndighet som har tillsyn över området, till exempel "
    "Arbetsmiljöverket (arbetsmiljö), Inspektionen för vård och omsorg (vård och omsorg), "
    "Integritetsskyddsmyndigheten (personuppgifter), Konkurrensverket (offentlig upphandling) eller "
    "Naturvårdsverket (miljö). Vilka myndigheter som tar emot rapporter står i förordningen (2021:949) "
    "om skydd för personer som rapporterar om missförhållanden."
)
ORAL_REPORTING = (
    "Ring visselblåsartelefonen 0555-123 45 (vardagar 9–12), där Visslan Juridik AB svarar, eller be om "
    "ett personligt möte i inkorgen. Samtalet skrivs ut och du får granska och godkänna utskriften."
)


@dataclass(frozen=True)
class WhistleDemo:
    channel: Channel
    people: int
    logins: tuple[tuple[str, str, str], ...]  # (e-mail, name, description)
    notes: tuple[str, ...]


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def _upload(name: str, text: str) -> files.PendingFile:
    """A file as the encrypting upload handler would have left it in `pending/`."""
    content = text.encode("utf-8")
    stored_name, key = str(uuid.uuid4()), crypto.new_key()
    with files.path_of(files.PENDING, stored_name).open("xb") as handle:
        for chunk in crypto.encrypt_file(key, [content]):
            handle.write(chunk)
    return files.PendingFile(stored_name, key, name, len(content), "text/plain")


def _people(organisation, password_hash: str) -> dict[str, object]:
    from allauth.mfa.totp.internal.auth import TOTP

    made = {}
    for spec in PEOPLE:
        person = get_user_model().objects.create(
            email=spec.email, full_name=spec.name, organisation=organisation, password=password_hash
        )
        TOTP.activate(person, DEMO_TOTP_SECRET)
        made[spec.email] = person
    return made


def _channel(organisation, people: dict, start: date) -> tuple[Channel, dict[int, bytes]]:
    """The channel, its roles and keys, open from `start`. Answers it and each person's private key."""
    system = Access.system(organisation.pk)
    private_keys: dict[int, bytes] = {}
    with frozen_at(_at(start, 9)):
        channel = channels.channel_create(
            access=system,
            organisation=organisation,
            slug=CHANNEL_SLUG,
            name=CHANNEL_NAME,
            sector=Sector.PUBLIC,
            procedure=PROCEDURE,
            external_channels=EXTERNAL_CHANNELS,
            oral_reporting=ORAL_REPORTING,
            employees_at_year_start=2850,
            gallringsbeslut_ref=GALLRINGSBESLUT,
            gallringsfrist_days=GALLRINGSFRIST_DAYS,
        )
        for spec in PEOPLE:
            channels.role_grant(
                access=system,
                channel=channel,
                person=people[spec.email],
                role=spec.role,
                shown_name=spec.shown_name,
                external_provider=spec.external_provider,
            )
        # The escrow first, so that every later keyring is sealed to it as it is made.
        for spec in PEOPLE:
            person = people[spec.email]
            _keyring, private_key, _recovery = keys.keyring_create(
                person=person, passphrase=DEMO_KEY_PASSPHRASE
            )
            private_keys[person.pk] = private_key
            if spec.role == Role.ESCROW:
                keys.escrow_set_up(channel=channel, holder=person, private_key=private_key)
        channels.channel_open(access=system, channel=channel)
    channel.refresh_from_db()
    return channel, private_keys


def whistle_load(*, organisation, password_hash: str) -> WhistleDemo:
    """Exempelby kommun's channel, its four people and five cases (see the module's docstring)."""
    day = today()
    people = _people(organisation, password_hash)
    channel, private_keys = _channel(organisation, people, day - timedelta(days=420))
    greta, tomas = people["greta.wikstrom@exempelby.se"], people["tomas.oberg@visslan.example"]
    custodian = people["birgitta.falk@exempelby.se"]
    g_key, t_key = private_keys[greta.pk], private_keys[tomas.pk]
    categories = channel.categories

    def handler_writes(report, handler, key, on: datetime, body: str, kind=MessageKind.MESSAGE):
        with frozen_at(on):
            cases.case_viewed(report=report, handler=handler, private_key=key)
            return cases.case_message(report=report, handler=handler, private_key=key, body=body, kind=kind)

    def acknowledge(report, handler, key, on: datetime, body: str = ""):
        with frozen_at(on):
            cases.case_viewed(report=report, handler=handler, private_key=key)
            return cases.case_acknowledge(report=report, handler=handler, private_key=key, body=body)

    # 1. Closed with feedback, waiting for its gallring date (a Miljö case from more than a year ago).
    with frozen_at(_at(day - timedelta(days=400), 21, 5)):
        closed, _receipt = reports.report_submit(
            channel=channel,
            mode=Mode.ANONYMOUS,
            category=categories[3],
            answers={
                "what": "Vid gatuenhetens förråd spolas oljiga rester från fordonstvätten rakt ner i "
                "dagvattenbrunnen, fast det finns en oljeavskiljare som inte används.",
                "where_when": "Förrådet vid Industrivägen, flera gånger i veckan sedan i våras.",
                "evidence": "Det syns regnbågsskimmer i diket nedanför efter varje tvätt.",
            },
        )
    acknowledge(closed, greta, g_key, _at(day - timedelta(days=397), 9, 30))
    handler_writes(
        closed,
        greta,
        g_key,
        _at(day - timedelta(days=310), 14),
        "Vi har utrett det du rapporterade. Miljö- och hälsoskyddsenheten har inspekterat förrådet, "
        "oljeavskiljaren är nu i bruk och rutinen för fordonstvätten är ändrad. Tack för att du sa till.",
        kind=MessageKind.FEEDBACK,
    )
    with frozen_at(_at(day - timedelta(days=305), 15)):
        cases.case_close(report=closed, handler=greta, private_key=g_key)

    # 2. Feedback overdue: acknowledged by the external handler; the reporter excluded Greta.
    with frozen_at(_at(day - timedelta(days=110), 19, 40)):
        overdue, _receipt = reports.report_submit(
            channel=channel,
            mode=Mode.ANONYMOUS,
            category=categories[4],
            answers={
                "what": "Utdrag ur verksamhetssystemet med uppgifter om enskilda brukare skickas med vanlig "
                "e-post till en privat adress och sparas på ett USB-minne som följer med hem.",
                "who": "Det gäller en chef på kommunledningsförvaltningen; därför har jag uteslutit "
                "kommunjuristen, som arbetar nära hen.",
            },
            excluded_ids=[greta.pk],
        )
    acknowledge(overdue, tomas, t_key, _at(day - timedelta(days=106), 10))
    with frozen_at(_at(day - timedelta(days=90), 20)):
        reports.reporter_message_send(
            report=overdue, body="Har ni hunnit titta på det här? Det pågår fortfarande."
        )
    handler_writes(
        overdue,
        tomas,
        t_key,
        _at(day - timedelta(days=88), 11),
        "Tack för att du hör av dig. Utredningen pågår och vi har begärt in underlag från IT-avdelningen. "
        "Vi återkommer när vi vet mer.",
    )

    # 3. An oral report by telephone, registered by the external handler; the reporter approved the
    #    transcript after changing the receipt at the first sign-in.
    with frozen_at(_at(day - timedelta(days=40), 10, 15)):
        oral, oral_receipt = cases.oral_report_register(
            channel=channel,
            handler=tomas,
            private_key=t_key,
            category=categories[2],
            summary="Telefonsamtal om att nattpersonalen på ett särskilt boende ofta är ensam med "
            "tjugo boende och att larm inte hinner besvaras.",
            transcript=[
                _upload(
                    "utskrift-telefonsamtal.txt",
                    "Utskrift av telefonsamtal till visselblåsartelefonen.\n\n"
                    "Rapportören berättar att nattpersonalen på ett av kommunens särskilda boenden ofta "
                    "är ensam med tjugo boende, att larm inte hinner besvaras och att avvikelser inte "
                    "skrivs eftersom det inte finns tid.\n\nRapportören vill vara anonym.\n",
                )
            ],
            mode=Mode.ANONYMOUS,
        )
    with frozen_at(_at(day - timedelta(days=37), 18, 30)):
        signed_in = reports.reporter_sign_in(channel=channel, receipt=oral_receipt)
        _new_receipt, signed_in = reports.receipt_replace(signed_in=signed_in)
        reports.transcript_decide(
            report=signed_in.report, approve=True, comment="Utskriften stämmer. Det gäller främst helgerna."
        )
    handler_writes(
        oral,
        tomas,
        t_key,
        _at(day - timedelta(days=33), 9),
        "Tack för att du granskade utskriften. Vi har bett förvaltningen om bemanningsschemat för "
        "nätterna de senaste tre månaderna.",
    )

    # 4. Acknowledged, with messages both ways and a file; Greta asks to know who the reporter is.
    with frozen_at(_at(day - timedelta(days=24), 22, 10)):
        talking, talking_receipt = reports.report_submit(
            channel=channel,
            mode=Mode.CONFIDENTIAL,
            category=categories[0],
            answers={
                "what": "I upphandlingen av hemtjänstens nya larmtjänst satt en person i "
                "utvärderingsgruppen som är delägare i ett av de anbudsgivande bolagen.",
                "where_when": "Upphandlingen avslutades i våras; tilldelningen gick till det bolaget.",
                "earlier": "Jag tog upp det med min chef, som sa att det inte var något att göra åt.",
            },
            identity={"name": "Kim Rapportör", "contact": "070-000 00 00 (kvällar)", "relation": "anställd"},
        )
    acknowledge(
        talking,
        greta,
        g_key,
        _at(day - timedelta(days=21), 8, 45),
        body="Tack för din rapport. Vi har tagit emot den och kommer att följa upp den.",
    )
    handler_writes(
        talking,
        greta,
        g_key,
        _at(day - timedelta(days=21), 9),
        "Vet du ungefär när utvärderingen gjordes, och finns det protokoll från den?",
    )
    with frozen_at(_at(day - timedelta(days=19), 21, 30)):
        reports.reporter_message_send(
            report=talking,
            body="Utvärderingen gjordes i mars. Jag bifogar mina anteckningar från mötet.",
            pending=[
                _upload(
                    "anteckningar-utvardering.txt",
                    "Anteckningar från utvärderingsmötet i mars.\n\nNärvarande: utvärderingsgruppen (fem "
                    "personer). Anbuden poängsattes gemensamt; ingen anmälde jäv.\n",
                )
            ],
        )
    handler_writes(
        talking,
        tomas,
        t_key,
        _at(day - timedelta(days=16), 13),
        "Tack, anteckningarna hjälper. Vi har begärt ut upphandlingsdokumenten.",
    )
    with frozen_at(_at(day - timedelta(days=15), 10)):
        identity.identity_request(
            report=talking,
            handler=greta,
            private_key=g_key,
            motivation="Vi behöver kunna höra rapportören som vittne i jävsutredningen.",
        )

    # 5. New and not yet acknowledged: two days old, within its seven days.
    with frozen_at(_at(day - timedelta(days=2), 23, 15)):
        reports.report_submit(
            channel=channel,
            mode=Mode.ANONYMOUS,
            category=categories[1],
            answers={
                "what": "Lyften i ett av hemtjänstens korttidsrum har inte besiktigats på över ett år och "
                "har stannat mitt i en förflyttning två gånger.",
                "evidence": "Besiktningsetiketten på lyften visar förra årets datum.",
            },
        )
    # Every earlier hourly e-mail of the demo's past counts as sent.
    Report.objects.filter(channel=channel).update(handlers_notified=True)
    logins = tuple((spec.email, spec.name, spec.description) for spec in PEOPLE)
    notes = (
        f"Visselblåsning: the channel “{CHANNEL_NAME}” with five cases; the reporter pages answer at "
        "/exempelby/ on the reporter host (make demo prints the addresses).",
        f"  The channel's four people sign in with the demo password and the two-factor secret "
        f"{DEMO_TOTP_SECRET} (an authenticator app, or `make demo-code`); "
        f"their key passphrase is {DEMO_KEY_PASSPHRASE}. "
        f"Custodian {custodian.full_name} has an identity request waiting.",
        f"  Receipt of the reporter of {talking.case_number} (shown once, as to a reporter): "
        f"{crypto.receipt_display(talking_receipt)}",
    )
    return WhistleDemo(channel=channel, people=len(people), logins=logins, notes=notes)
