"""Obstacles (hinder) in the demo: a year of them from home care and a school, in every state.

Written through the services under `frozen_at` so that the history is backdated over the last twelve months and
the support indicators of Hemtjänsten and Vård- och omsorgsförvaltningen get a monthly series. The dates
count back from the day the demo is loaded: whether an answer is overdue depends on today's date, so
the open obstacles are placed relative to it (two overdue, the rest within the promised time).

Routing is the service's own: every obstacle answers "Vet inte" except Aino Korhonen's, whose proposal
names a purchase above 100 000 kr; when the delegation register has the matching entry, she picks it.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.clock import frozen_at
from tillit.core.tasks import deferred
from tillit.core.workdays import add_working_days, is_working_day
from tillit.delegation.selectors import entries_search
from tillit.followup.tasks import followup_refresh
from tillit.obstacles import selectors, services

AINO_TITLE = "Våra arbetstelefoner laddar ur mitt på passet"
AINO_PURCHASE_QUERY = "Inköp av arbetsutrustning och IT-utrustning över 100 000 kr"


@dataclass(frozen=True)
class Step:
    action: str  # acknowledge, start, remove, decline, pass_up, escalate
    after: int  # working days after the previous step
    text: str = ""


@dataclass(frozen=True)
class Spec:
    unit: str
    raiser: str  # "staff" (a member of the unit), "manager" or a full name
    title: str
    affects: str
    proposal: str
    days_ago: int  # calendar days before today that it was raised
    shows_name: bool = False
    steps: tuple[Step, ...] = field(default_factory=tuple)


ACK = "acknowledge"

SPECS = (
    # --- Hemtjänst Norr -----------------------------------------------------------------------------
    Spec(
        "Hemtjänst Norr",
        "staff",
        "Nyckelhanteringen tar en halvtimme varje morgon",
        "Brukarna som väntar på morgonbesöket, och vi som börjar passet stressade.",
        "Digitala lås hos brukarna i norra området, som i Söder.",
        330,
        steps=(
            Step(ACK, 3),
            Step("start", 2),
            Step("remove", 25, "Digitala lås installeras hos alla brukare i norra området under våren."),
        ),
    ),
    Spec(
        "Hemtjänst Norr",
        "staff",
        "Vi får inte byta besökstider sinsemellan fast det är vi som planerar besöken",
        "Brukare som vill ha besöket en annan tid, och vi som ser att det skulle gå.",
        "Låt oss byta besök med varandra och meddela planeraren efteråt.",
        300,
        steps=(Step(ACK, 1), Step("remove", 4, "Ni bestämmer själva; planeraren får besked i appen.")),
    ),
    Spec(
        "Hemtjänst Norr",
        "staff",
        "Bilarna räcker inte till vid helgpassen",
        "Brukare som får vänta för att vi går mellan besöken.",
        "Två bilar till, eller elcyklar för besöken nära centrum.",
        270,
        shows_name=True,
        steps=(
            Step(ACK, 2),
            Step("start", 3),
            Step("remove", 30, "Två bilar till genom leasingavtalet och tre elcyklar från mars."),
        ),
    ),
    Spec(
        "Hemtjänst Norr",
        "staff",
        "Dokumentationen måste göras två gånger, i verksamhetssystemet och på papper",
        "Vi, som tar tid från brukarna, och de som läser journalen och inte vet vilken som gäller.",
        "Sluta med pappersjournalen.",
        215,
        steps=(
            Step(ACK, 5),
            Step("pass_up", 3, "Verksamhetssystemet och journalföringen beslutas av förvaltningen."),
            Step(ACK, 4),
            Step("start", 2),
            Step("remove", 30, "Pappersjournalen avskaffas i hela hemtjänsten från 1 juni."),
        ),
    ),
    Spec(
        "Hemtjänst Norr",
        "staff",
        "Introduktionen för nya vikarier är bara en dag",
        "Brukarna, som möter en vikarie som inte vet rutinerna, och kollegorna som får visa allt.",
        "Tre dagars introduktion med en fast handledare.",
        150,
        steps=(
            Step(ACK, 6),
            Step(
                "decline",
                4,
                "Budgeten för i år räcker inte till längre introduktion. Vi tar upp det i budgetarbetet inför "
                "nästa år och återkommer i oktober.",
            ),
        ),
    ),
    Spec(
        "Hemtjänst Norr",
        "staff",
        "Schemat läggs ut för sent för att vi ska kunna planera vår ledighet",
        "Vi och våra familjer.",
        "Schemat sex veckor i förväg.",
        90,
        steps=(Step(ACK, 4), Step("start", 5)),
    ),
    Spec(
        "Hemtjänst Norr",
        "manager",
        "Larmmottagningen når inte nattpatrullen när ett larm kommer från norra området",
        "Brukare som larmar på natten.",
        "En gemensam rutin med larmcentralen och nattpatrullen.",
        60,
        shows_name=True,
        steps=(
            Step(ACK, 8),
            Step("remove", 12, "Ny rutin med larmcentralen: larmet går direkt till nattpatrullen."),
        ),
    ),
    Spec(
        "Hemtjänst Norr",
        "staff",
        "Vi kan inte skriva ut läkemedelslistor hos brukarna",
        "Brukare och anhöriga som vill ha listan i handen.",
        "En liten skrivare i varje bil.",
        20,
        steps=(Step(ACK, 2),),
    ),
    # --- Hemtjänst Söder ----------------------------------------------------------------------------
    Spec(
        "Hemtjänst Söder",
        "staff",
        "Vi får parkeringsböter när vi besöker brukare i centrum",
        "Vi, och brukarna när vi måste parkera långt bort.",
        "Parkeringstillstånd för hemtjänstens bilar.",
        355,
        steps=(
            Step(ACK, 2),
            Step("remove", 10, "Hemtjänstens bilar har fått parkeringstillstånd i hela kommunen."),
        ),
    ),
    Spec(
        "Hemtjänst Söder",
        "staff",
        "Arbetskläderna räcker inte, vi tvättar dem hemma",
        "Brukarna, för hygienens skull, och vi.",
        "Fem uppsättningar per person och tvätt genom kommunen.",
        300,
        steps=(
            Step(ACK, 7),
            Step("start", 2),
            Step("remove", 20, "Fler arbetskläder och ett tvättavtal från april."),
        ),
    ),
    Spec(
        "Hemtjänst Söder",
        "staff",
        "Vi får inte beställa enkla hjälpmedel själva utan måste gå via sjuksköterskan",
        "Brukare som väntar en vecka på en duschpall.",
        "Låt undersköterskorna beställa enkla hjälpmedel.",
        240,
        shows_name=True,
        steps=(
            Step(ACK, 3),
            Step(
                "decline",
                6,
                "Hjälpmedel förskrivs av legitimerad personal enligt förvaltningens rutin. Vi ser i stället till att "
                "sjuksköterskan har en fast tid varje dag för era beställningar.",
            ),
        ),
    ),
    Spec(
        "Hemtjänst Söder",
        "staff",
        "Brukarnas nyckelgömmor är osäkra",
        "Brukarna och deras trygghet.",
        "Nyckelskåp med kod hos alla brukare som har nyckelgömma.",
        185,
        steps=(Step(ACK, 5), Step("remove", 15, "Nyckelskåp med kod monteras hos de 14 brukarna.")),
    ),
    Spec(
        "Hemtjänst Söder",
        "staff",
        "Vi hinner inte med överlämningen mellan dag- och kvällspasset",
        "Brukare vars förändrade behov inte kommer fram till kvällen.",
        "Femton minuters överlappning mellan passen.",
        120,
        steps=(Step(ACK, 9),),
    ),
    Spec(
        "Hemtjänst Söder",
        "manager",
        "Surfplattorna för dokumentation är för gamla för den nya appen",
        "Vi, och brukarna som får vänta när appen hänger sig.",
        "Nya surfplattor till hela gruppen.",
        35,
        shows_name=True,
        steps=(Step(ACK, 3), Step("start", 4)),
    ),
    Spec(
        "Hemtjänst Söder",
        "staff",
        "Personalrummet är för litet för hela gruppen vid passbytet",
        "Vi, när vi inte kan ha överlämningen tillsammans.",
        "Det tomma rummet intill personalrummet.",
        27,  # not acknowledged: overdue
    ),
    Spec(
        "Hemtjänst Söder",
        "staff",
        "Vikariepoolen svarar inte i telefon på helgerna",
        "Brukare som blir utan besök när någon blir sjuk en lördag.",
        "En jourtelefon hos bemanningen på helgerna.",
        25,
        steps=(Step("escalate", 11),),  # overdue at Hemtjänsten, now at the förvaltning
    ),
    # --- Hemtjänsten (the avdelning raises to the förvaltning) ----------------------------------------
    Spec(
        "Hemtjänsten",
        "manager",
        "Delegationen att anställa timvikarier ligger hos förvaltningen",
        "Brukarna, när vi inte hinner ersätta den som är sjuk.",
        "Låt enhetscheferna anställa timvikarier.",
        350,
        shows_name=True,
        steps=(
            Step(ACK, 4),
            Step("remove", 15, "Enhetscheferna får anställa timvikarier; delegationsordningen ändras."),
        ),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Budgeten för kompetensutveckling räcker inte till undersköterskeutbildningen",
        "Medarbetare som vill gå vidare, och brukarna som möter dem.",
        "Äldreomsorgslyftet för tio medarbetare per år.",
        320,
        shows_name=True,
        steps=(
            Step(ACK, 5),
            Step("start", 5),
            Step("remove", 30, "Vi söker statsbidraget för äldreomsorgslyftet."),
        ),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Upphandlingen av nya bilar tar över ett år",
        "Enheterna som kör gamla bilar som går sönder.",
        "Avrop på det regionala ramavtalet.",
        265,
        shows_name=True,
        steps=(Step(ACK, 3), Step("remove", 20, "Avrop på ramavtalet; bilarna levereras i maj.")),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Lokalerna för Hemtjänst Söder är för små",
        "Medarbetarna i Söder.",
        "Flytt till de tomma lokalerna i vårdcentralens hus.",
        235,
        shows_name=True,
        steps=(Step(ACK, 6), Step("start", 10)),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Rekryteringsannonser måste gå via HR och tar fyra veckor",
        "Enheterna som står utan personal under tiden.",
        "Låt avdelningen publicera annonser själv.",
        190,
        shows_name=True,
        steps=(
            Step(ACK, 7),
            Step(
                "decline",
                5,
                "Annonserna måste gå via HR för att följa kommunens rekryteringspolicy. HR lovar nu att publicera "
                "inom en vecka.",
            ),
        ),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Nattpatrullen har ingen egen bil med plats för hjälpmedel",
        "Brukare som behöver hjälpmedel på natten.",
        "En större bil till nattpatrullen.",
        100,
        shows_name=True,
        steps=(Step(ACK, 2), Step("remove", 12, "En större bil från bilpoolen går över till nattpatrullen.")),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Tolkar går inte att boka med kort varsel",
        "Brukare som inte talar svenska.",
        "Ett avtal om telefontolk med kort varsel.",
        45,
        shows_name=True,
        steps=(Step(ACK, 4),),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Enhetscheferna har för många medarbetare var för att hinna med samtalen",
        "Medarbetarna, och brukarna som möter dem.",
        "Högst 30 medarbetare per enhetschef.",
        290,
        shows_name=True,
        steps=(Step(ACK, 3), Step("remove", 25, "Hemtjänst Söder delas i två enheter från hösten.")),
    ),
    Spec(
        "Hemtjänsten",
        "manager",
        "Sjuksköterskorna och hemtjänsten har olika system för signering",
        "Brukarna, när en signering missas.",
        "Ett gemensamt signeringssystem.",
        150,
        shows_name=True,
        steps=(Step(ACK, 5),),
    ),
    # --- Ekskolan -----------------------------------------------------------------------------------
    Spec(
        "Ekskolan",
        "staff",
        "Vi får inte köpa läromedel för mer än 5 000 kr utan avdelningens godkännande",
        "Eleverna som väntar på böckerna.",
        "En läromedelsbudget som skolan själv förfogar över.",
        280,
        steps=(Step(ACK, 4), Step("remove", 9, "Skolorna får en egen läromedelsbudget från höstterminen.")),
    ),
    Spec(
        "Ekskolan",
        "staff",
        "Elevhälsan hinner inte komma till oss mer än en gång i månaden",
        "Elever som behöver prata med kuratorn nu.",
        "En fast dag i veckan med kurator på skolan.",
        18,
        shows_name=True,
        steps=(
            Step(ACK, 3),
            Step("pass_up", 2, "Elevhälsans resurser fördelas av förvaltningen, inte av avdelningen."),
        ),
    ),
    Spec(
        "Ekskolan",
        "staff",
        "Det trådlösa nätet i gamla huset fungerar inte i klassrummen",
        "Eleverna, som inte kan göra de nationella proven digitalt.",
        "Fler accesspunkter i gamla huset.",
        24,  # not acknowledged: overdue
    ),
)


def _member(unit: Unit, *, manager: bool) -> object:
    memberships = Membership.objects.filter(
        unit=unit, ended_at__isnull=True, role__can_manage=manager
    ).select_related("person")
    if not manager:
        memberships = memberships.filter(role__can_write=True)
    return memberships.order_by("person__full_name").first().person


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _raiser(spec: Spec, unit: Unit, staff_index: dict[str, int]):
    if spec.raiser == "manager":
        return _member(unit, manager=True)
    if spec.raiser != "staff":
        return get_user_model().objects.get(full_name=spec.raiser, organisation_id=unit.organisation_id)
    # Spread the staff's obstacles over the unit's people (never Aino: hers is the one below).
    people = list(
        Membership.objects.filter(
            unit=unit, ended_at__isnull=True, role__can_manage=False, role__can_write=True
        )
        .exclude(person__full_name="Aino Korhonen")
        .order_by("person__full_name")
        .values_list("person", flat=True)
    )
    index = staff_index.get(unit.name, 0)
    staff_index[unit.name] = index + 1
    return get_user_model().objects.get(pk=people[index % len(people)])


def _answerer(unit: Unit):
    return selectors.receiving_recipients(unit)[0]


def _play(obstacle, steps: tuple[Step, ...], now: datetime) -> None:
    moment = obstacle.raised_at
    for step in steps:
        day = add_working_days(timezone.localtime(moment).date(), step.after)
        moment = _at(day, 10 if step.action == ACK else 14)
        if moment >= now:
            return
        obstacle.refresh_from_db()
        system = Access.system(obstacle.organisation_id)
        if step.action == "escalate":
            with frozen_at(moment):
                services.obstacle_escalate(actor=obstacle.raised_by, access=system, obstacle=obstacle)
            continue
        actor = _answerer(obstacle.receiving_unit)
        call = {
            ACK: services.obstacle_acknowledge,
            "start": services.obstacle_start,
            "remove": services.obstacle_remove,
            "decline": services.obstacle_decline,
            "pass_up": services.obstacle_pass_up,
        }[step.action]
        extra = {"text": step.text} if step.action in ("remove", "decline", "pass_up") else {}
        with frozen_at(moment):
            call(actor=actor, access=system, obstacle=obstacle, **extra)


def obstacles_load(*, organisation) -> list:
    """Write the demo's obstacles for Exempelby (nothing for another organisation), then their support
    indicators, analysed at once."""
    if organisation.slug != "exempelby":
        return []
    now = timezone.now()
    today = timezone.localdate()
    units = {u.name: u for u in Unit.objects.filter(organisation=organisation)}
    staff_index: dict[str, int] = {}
    written = []
    with deferred():
        for spec in SPECS:
            unit = units[spec.unit]
            day = today - timedelta(days=spec.days_ago)
            while not is_working_day(day):
                day -= timedelta(days=1)
            with frozen_at(_at(day, 9)):
                obstacle = services.obstacle_raise(
                    actor=_raiser(spec, unit, staff_index),
                    access=Access.system(organisation.pk),
                    unit=unit,
                    title=spec.title,
                    affects=spec.affects,
                    proposal=spec.proposal,
                    shows_name=spec.shows_name,
                )
            _play(obstacle, spec.steps, now)
            written.append(obstacle)
        written.append(_aino(organisation, units["Hemtjänst Norr"], now))
        support = services.support_indicators_refresh(organisation_id=organisation.pk)
    indicator_ids = [indicator.pk for indicators in support.values() for indicator in indicators]
    if indicator_ids:
        followup_refresh(organisation_id=organisation.pk, indicator_ids=indicator_ids)
    return written


def _aino(organisation, norr: Unit, now: datetime):
    """Aino Korhonen's obstacle, left raised so that the demo can act on it."""
    aino = get_user_model().objects.get(full_name="Aino Korhonen", organisation=organisation)
    hits = entries_search(organisation_id=organisation.pk, query=AINO_PURCHASE_QUERY, limit=5)
    matter = next((entry for entry in hits if "it-utrustning" in entry.matter.casefold()), None)
    with frozen_at(now - timedelta(hours=2)):
        return services.obstacle_raise(
            actor=aino,
            access=Access.system(norr.organisation_id),
            unit=norr,
            title=AINO_TITLE,
            affects="Brukarna, som inte får besked när vi blir försenade, och vi som inte kan kvittera besöken eller "
            "ringa sjuksköterskan när något händer.",
            proposal="Våra arbetstelefoner laddar ur mitt på passet och går inte att lita på. Köp in nya "
            "arbetstelefoner med bättre batteri till hela gruppen; det blir ett inköp av IT-utrustning över "
            "100 000 kr.",
            shows_name=False,
            matter=matter,
        )
