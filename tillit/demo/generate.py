"""Exempelby kommun, a fictional Swedish municipality, generated deterministically.

Same seed, same municipality: names, roles and structure are identical on every run, so the
demo logins printed by `make demo` always work and tests can rely on them.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from tillit.agreements.services import purpose_write
from tillit.chain import services as chain
from tillit.chain.access import Access
from tillit.chain.models import Organisation, Unit
from tillit.chain.selectors import access_for
from tillit.core.tasks import deferred
from tillit.demo.burden_data import burden_load
from tillit.demo.delegation_data import delegation_load
from tillit.demo.dialogue_data import dialogue_load
from tillit.demo.experiments_data import experiments_load
from tillit.demo.followup_data import followup_load
from tillit.demo.notifications_data import notifications_load
from tillit.demo.obstacles_data import obstacles_load
from tillit.demo.pulse_data import pulse_load
from tillit.demo.whistle_data import whistle_load

DEMO_PASSWORD = "tillit-demo"  # noqa: S105 -- printed on purpose: a demo login, never a real one
SEED = 2026
SYSTEM = Access.system()  # the demo loader is Tillit itself, no person

FIRST_NAMES = [
    "Anna",
    "Maria",
    "Eva",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kristina",
    "Elin",
    "Johanna",
    "Ida",
    "Hanna",
    "Malin",
    "Linnéa",
    "Sofia",
    "Ingrid",
    "Maja",
    "Elsa",
    "Astrid",
    "Agnes",
    "Lars",
    "Mikael",
    "Anders",
    "Johan",
    "Erik",
    "Per",
    "Karl",
    "Peter",
    "Fredrik",
    "Daniel",
    "Jonas",
    "Magnus",
    "Oskar",
    "Ali",
    "Ahmed",
    "Mohammed",
    "Fatima",
    "Leila",
    "Amir",
    "Nora",
    "Hassan",
    "Aisha",
    "Yusuf",
    "Mirja",
    "Aino",
    "Jussi",
    "Ville",
    "Niklas",
    "Tove",
    "Ebba",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Lundberg",
    "Holm",
    "Sandberg",
    "Ekström",
    "Nyström",
    "Hassan",
    "Ali",
    "Mohammadi",
    "Hosseini",
    "Korhonen",
    "Virtanen",
    "Lundin",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Forsberg",
]

LEVELS = ["Fullmäktige", "Styrelse och nämnd", "Förvaltning", "Avdelning", "Enhet", "Arbetslag"]

ROLES = {
    "Förtroendevald": {"description": "Ledamot i fullmäktige, styrelse eller nämnd"},
    "Ordförande": {"description": "Leder nämndens arbete", "can_write": True},
    "Förvaltningschef": {"can_write": True, "can_manage": True},
    "Avdelningschef": {"can_write": True, "can_manage": True},
    "Enhetschef": {"can_write": True, "can_manage": True},
    "Medarbetare": {"can_write": True},
    "Analytiker": {"description": "Stöd i uppföljning och analys", "can_write": True},
    "Stödfunktion": {"description": "HR, ekonomi, IT och kommunikation", "can_write": True},
    "Internrevisor": {
        "description": "Granskar hela organisationen, läser men ändrar inte",
        "can_audit": True,
    },
    "Systemadministratör": {"description": "Administrerar organisationen i Tillit", "can_administer": True},
}

# (name, level, [children]); leaves carry (staff title, staff count).
EXEMPELBY = (
    "Kommunfullmäktige",
    0,
    [
        (
            "Kommunstyrelsen",
            1,
            [
                (
                    "Kommunledningsförvaltningen",
                    2,
                    [
                        (
                            "Ekonomiavdelningen",
                            3,
                            [("Redovisning", 4, ("Ekonom", 3)), ("Controllerenheten", 4, ("Controller", 2))],
                        ),
                        (
                            "HR-avdelningen",
                            3,
                            [("HR-service", 4, ("HR-konsult", 3)), ("Lön", 4, ("Löneadministratör", 2))],
                        ),
                        ("IT-avdelningen", 3, [("IT-support", 4, ("IT-tekniker", 3))]),
                        (
                            "Kansliavdelningen",
                            3,
                            [
                                ("Nämndsekretariatet", 4, ("Nämndsekreterare", 2)),
                                ("Analys och uppföljning", 4, ("Analytiker", 3)),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Vård- och omsorgsnämnden",
            1,
            [
                (
                    "Vård- och omsorgsförvaltningen",
                    2,
                    [
                        (
                            "Hemtjänsten",
                            3,
                            [
                                ("Hemtjänst Norr", 5, ("Undersköterska", 4)),
                                ("Hemtjänst Söder", 5, ("Undersköterska", 4)),
                                ("Hemtjänst Öster", 5, ("Undersköterska", 3)),
                                ("Hemtjänst Väster", 5, ("Undersköterska", 3)),
                                ("Hemtjänst Centrum", 5, ("Undersköterska", 3)),
                                ("Nattpatrullen", 5, ("Undersköterska", 2)),
                            ],
                        ),
                        (
                            "Särskilt boende",
                            3,
                            [
                                ("Björkgården", 4, ("Undersköterska", 3)),
                                ("Lindgården", 4, ("Undersköterska", 3)),
                            ],
                        ),
                        (
                            "Hälso- och sjukvård",
                            3,
                            [
                                ("Sjuksköterskeenheten", 4, ("Sjuksköterska", 3)),
                                ("Rehabenheten", 4, ("Fysioterapeut", 2)),
                            ],
                        ),
                        # Decides on home care and other help under SoL and LSS (the delegation register).
                        ("Biståndsenheten", 4, ("Biståndshandläggare", 3)),
                    ],
                ),
            ],
        ),
        (
            "Barn- och utbildningsnämnden",
            1,
            [
                (
                    "Utbildningsförvaltningen",
                    2,
                    [
                        (
                            "Grundskolan",
                            3,
                            [
                                ("Ekskolan", 4, ("Lärare", 3)),
                                ("Tallskolan", 4, ("Lärare", 3)),
                                ("Almskolan", 4, ("Lärare", 2)),
                                ("Granskolan", 4, ("Lärare", 2)),
                            ],
                        ),
                        (
                            "Förskolan",
                            3,
                            [
                                ("Förskolan Solrosen", 4, ("Förskollärare", 2)),
                                ("Förskolan Blåklinten", 4, ("Förskollärare", 2)),
                            ],
                        ),
                        (
                            "Gymnasium och vuxenutbildning",
                            3,
                            [("Exempelby gymnasium", 4, ("Gymnasielärare", 3)), ("Komvux", 4, ("Lärare", 2))],
                        ),
                        ("Elevhälsan", 3, [("Centrala elevhälsan", 4, ("Skolkurator", 2))]),
                    ],
                ),
            ],
        ),
        (
            "Socialnämnden",
            1,
            [
                (
                    "Socialförvaltningen",
                    2,
                    [
                        (
                            "Individ- och familjeomsorgen",
                            3,
                            [
                                ("Mottagningsenheten", 4, ("Socialsekreterare", 3)),
                                ("Barn och unga", 4, ("Socialsekreterare", 3)),
                                ("Vuxenenheten", 4, ("Socialsekreterare", 2)),
                                ("Ekonomiskt bistånd", 4, ("Handläggare", 3)),
                            ],
                        ),
                        (
                            "Funktionsstöd",
                            3,
                            [
                                ("LSS-handläggning", 4, ("LSS-handläggare", 2)),
                                ("Daglig verksamhet", 4, ("Stödpedagog", 2)),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "Samhällsbyggnadsnämnden",
            1,
            [
                (
                    "Samhällsbyggnadsförvaltningen",
                    2,
                    [
                        (
                            "Plan och bygg",
                            3,
                            [
                                ("Bygglovsenheten", 4, ("Bygglovshandläggare", 2)),
                                ("Planenheten", 4, ("Planarkitekt", 2)),
                            ],
                        ),
                        (
                            "Gata och park",
                            3,
                            [
                                ("Gatuenheten", 4, ("Gatuarbetare", 2)),
                                ("Parkenheten", 4, ("Trädgårdsarbetare", 2)),
                            ],
                        ),
                        ("Miljö och hälsa", 3, [("Miljö- och hälsoskyddsenheten", 4, ("Miljöinspektör", 2))]),
                    ],
                ),
            ],
        ),
    ],
)

GRANNBY = (
    "Grannby kommunfullmäktige",
    0,
    [
        (
            "Grannby omsorgsnämnd",
            1,
            [
                (
                    "Omsorgsförvaltningen",
                    2,
                    [
                        ("Hemtjänst Grannby", 4, ("Undersköterska", 2)),
                        ("Grannbygården", 4, ("Undersköterska", 2)),
                    ],
                ),
            ],
        ),
    ],
)

POLITICAL_BODIES = {"Kommunfullmäktige", "Kommunstyrelsen", "Grannby kommunfullmäktige"}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoResult:
    organisation: Organisation
    units: int
    people: int
    logins: tuple[DemoLogin, ...]
    notes: tuple[str, ...] = ()  # one line each in the loader's summary


class _PeopleFactory:
    """Unique, realistic Swedish names and e-mail addresses from one seeded random generator."""

    def __init__(self, *, organisation: Organisation, domain: str, password_hash: str, rng: random.Random):
        self.organisation = organisation
        self.domain = domain
        self.password_hash = password_hash
        self.rng = rng
        self.used: set[str] = set()
        self.created = 0

    def person(self, full_name: str | None = None):
        while full_name is None or full_name in self.used:
            full_name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        self.used.add(full_name)
        local = full_name.lower()
        for source, target in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), (" ", ".")):
            local = local.replace(source, target)
        self.created += 1
        return get_user_model().objects.create(
            email=f"{local}@{self.domain}",
            full_name=full_name,
            organisation=self.organisation,
            password=self.password_hash,
        )


def _build(*, organisation, tree, levels, roles, people: _PeopleFactory, rng, named: dict[str, str]):
    """Create the unit tree and its people. `named` maps a unit name to a fixed name for its manager."""
    counts = {"units": 0}

    def assign(person, unit, role_name, title=""):
        chain.membership_create(access=SYSTEM, person=person, unit=unit, role=roles[role_name], title=title)

    def create(node, parent):
        name, level_rank, rest = node
        unit = chain.unit_create(
            access=SYSTEM, organisation=organisation, parent=parent, level=levels[level_rank], name=name
        )
        counts["units"] += 1
        if isinstance(rest, tuple):  # a working unit: a manager and staff
            staff_title, staff_count = rest
            manager = people.person(named.get(name))
            assign(manager, unit, "Enhetschef", "Enhetschef")
            for _ in range(staff_count):
                role = "Analytiker" if staff_title == "Analytiker" else "Medarbetare"
                if (
                    unit.parent
                    and unit.parent.parent
                    and unit.parent.parent.name == "Kommunledningsförvaltningen"
                ):
                    role = "Analytiker" if staff_title == "Analytiker" else "Stödfunktion"
                assign(people.person(), unit, role, staff_title)
            return unit
        if level_rank in (0, 1):  # political bodies: chair and members
            chair = people.person(named.get(name))
            assign(chair, unit, "Ordförande", "Ordförande")
            for _ in range(3 if name in POLITICAL_BODIES else 2):
                assign(people.person(), unit, "Förtroendevald", "Ledamot")
        elif level_rank == 2:
            assign(people.person(named.get(name)), unit, "Förvaltningschef", "Förvaltningschef")
        elif level_rank == 3:
            assign(people.person(named.get(name)), unit, "Avdelningschef", "Avdelningschef")
        for child in rest:
            create(child, unit)
        return unit

    root = create(tree, None)
    return root, counts["units"]


def _organisation(
    *, name: str, slug: str, domain: str, tree, named: dict[str, str], password_hash: str, seed: int
):
    rng = random.Random(seed)
    organisation = chain.organisation_create(name=name, slug=slug)
    levels = {
        rank: chain.level_create(access=SYSTEM, organisation=organisation, name=level, rank=rank)
        for rank, level in enumerate(LEVELS)
    }
    roles = {
        role: chain.role_create(access=SYSTEM, organisation=organisation, name=role, **spec)
        for role, spec in ROLES.items()
    }
    people = _PeopleFactory(organisation=organisation, domain=domain, password_hash=password_hash, rng=rng)
    root, unit_count = _build(
        organisation=organisation, tree=tree, levels=levels, roles=roles, people=people, rng=rng, named=named
    )
    return organisation, root, roles, people, unit_count


# Purposes in the units' own words: (unit, organisation slug) -> versions of (statement, serves, valued),
# each written by the person named (the first version by the unit's manager).
DEMO_PURPOSES = {
    ("Hemtjänst Norr", "exempelby"): [
        (
            "Johan Nyström",
            "Vi finns till för att äldre ska kunna leva ett tryggt och självständigt liv i sitt eget hem.",
            "Äldre som bor hemma i norra Exempelby och deras anhöriga.",
            "Att det är samma ansikten som kommer, att vi kommer när vi sagt, och att vi har tid att lyssna.",
        ),
        (
            "Aino Korhonen",
            "Vi finns till för att äldre ska kunna leva ett tryggt och självständigt liv i sitt eget hem, "
            "på sina egna villkor.",
            "Äldre som bor hemma i norra Exempelby och deras anhöriga.",
            "Att det är samma ansikten som kommer, att vi kommer när vi sagt, och att vi har tid att lyssna. "
            "Att få bestämma själv över sin dag.",
        ),
    ],
    ("Ekskolan", "exempelby"): [
        (
            "Leila Hassan",
            "Varje elev ska lämna Ekskolan med kunskaper, nyfikenhet och tron på att hen kan lära sig mer.",
            "Eleverna i årskurs 1–6 och deras vårdnadshavare.",
            "Att bli sedd varje dag, att känna sig trygg i skolan och att få hjälp i tid.",
        ),
    ],
    ("Vård- och omsorgsnämnden", "exempelby"): [
        (
            "Karin Ekström",
            "Nämnden ska ge förutsättningar för en värdig äldreomsorg där medarbetarna har utrymme att göra "
            "det som är rätt för den enskilda.",
            "Invånare i Exempelby som behöver vård och omsorg, och deras närstående.",
            "Trygghet, inflytande över sin vardag och kontinuitet.",
        ),
    ],
    ("Hemtjänst Grannby", "grannby"): [
        (
            "Ville Virtanen",
            "Vi hjälper Grannbys äldre att bo kvar hemma – hemligt syfte som aldrig får synas i Exempelby.",
            "Äldre i Grannby.",
            "Att bli bemött med respekt.",
        ),
    ],
}


def _write_demo_purposes() -> None:
    for (unit_name, slug), versions in DEMO_PURPOSES.items():
        unit = Unit.objects.get(name=unit_name, organisation__slug=slug)
        for author_name, statement, serves, valued in versions:
            author = get_user_model().objects.get(full_name=author_name, organisation__slug=slug)
            purpose_write(
                actor=author,
                access=access_for(person=author),
                unit=unit,
                statement=statement,
                serves=serves,
                valued=valued,
            )


@transaction.atomic
def demo_load(*, password: str = DEMO_PASSWORD) -> DemoResult:
    """Create Exempelby kommun and the small Grannby kommun. Refuses to run twice (use --reset).

    The demo's past queues no background work (no analysis, no e-mail): each part analyses what it wrote
    itself, and the notifications of its history count as delivered."""
    with deferred():
        return _demo_write(password=password)


def _demo_write(*, password: str) -> DemoResult:
    if Organisation.objects.filter(slug__in=["exempelby", "grannby"]).exists():
        raise ValueError("The demo organisations already exist.")
    # Argon2 is deliberately slow; one hash shared by every demo person keeps loading fast.
    password_hash = make_password(password)
    named = {
        "Vård- och omsorgsnämnden": "Karin Ekström",
        "Vård- och omsorgsförvaltningen": "Mikael Holm",
        "Hemtjänsten": "Sofia Lindberg",
        "Hemtjänst Norr": "Johan Nyström",
        "Ekskolan": "Leila Hassan",
    }
    exempelby, root, roles, people, unit_count = _organisation(
        name="Exempelby kommun",
        slug="exempelby",
        domain="exempelby.se",
        tree=EXEMPELBY,
        named=named,
        password_hash=password_hash,
        seed=SEED,
    )
    # People with organisation-wide roles sit at the top of the chain.
    staff_norr = people.person("Aino Korhonen")
    norr = Unit.objects.get(organisation=exempelby, name="Hemtjänst Norr")
    chain.membership_create(
        access=SYSTEM, person=staff_norr, unit=norr, role=roles["Medarbetare"], title="Undersköterska"
    )
    auditor = people.person("Per Sandberg")
    chain.membership_create(
        access=SYSTEM, person=auditor, unit=root, role=roles["Internrevisor"], title="Internrevisor"
    )
    admin = people.person("Elin Wallin")
    chain.membership_create(
        access=SYSTEM, person=admin, unit=root, role=roles["Systemadministratör"], title="Systemförvaltare"
    )

    grannby, *_rest, grannby_people, _grannby_units = _organisation(
        name="Grannby kommun",
        slug="grannby",
        domain="grannby.se",
        tree=GRANNBY,
        named={"Hemtjänst Grannby": "Ville Virtanen"},
        password_hash=password_hash,
        seed=SEED + 1,
    )
    _write_demo_purposes()
    # Three years of follow-up data, trust agreements and narratives; analysed once at the end.
    followup_load(organisation=exempelby)
    followup_load(organisation=grannby)
    delegation_load(organisation=exempelby)
    dialogue_load(organisation=exempelby)
    obstacles_load(organisation=exempelby)
    experiments_load(organisation=exempelby)
    experiments_load(organisation=grannby)
    burden_load(organisation=exempelby)
    pulse = pulse_load(organisation=exempelby)
    whistle = whistle_load(organisation=exempelby, password_hash=password_hash)
    notifications_load()  # keep last: the demo's earlier notifications count as delivered
    logins = (
        DemoLogin(
            "karin.ekstrom@exempelby.se", "Karin Ekström", "politiker, ordförande i vård- och omsorgsnämnden"
        ),
        DemoLogin("mikael.holm@exempelby.se", "Mikael Holm", "förvaltningschef, vård och omsorg"),
        DemoLogin("sofia.lindberg@exempelby.se", "Sofia Lindberg", "avdelningschef, hemtjänsten"),
        DemoLogin("johan.nystrom@exempelby.se", "Johan Nyström", "enhetschef, Hemtjänst Norr"),
        DemoLogin("aino.korhonen@exempelby.se", "Aino Korhonen", "undersköterska, Hemtjänst Norr"),
        DemoLogin("per.sandberg@exempelby.se", "Per Sandberg", "internrevisor (läser hela kommunen)"),
        DemoLogin("elin.wallin@exempelby.se", "Elin Wallin", "systemadministratör"),
        DemoLogin("ville.virtanen@grannby.se", "Ville Virtanen", "enhetschef i en annan kommun, Grannby"),
        *(DemoLogin(*login) for login in whistle.logins),
    )
    return DemoResult(
        organisation=exempelby,
        units=unit_count,
        people=people.created + grannby_people.created + whistle.people,
        logins=logins,
        notes=((pulse.summary(),) if pulse else ()) + whistle.notes,
    )
