"""The demo's follow-up catalogue: which data each kind of unit follows, and how its processes behave.

Pure data, no database. Each kind of unit (home care, schools, social services, ...) has its catalogue
of indicators; every indicator says what is counted (definition), which part of the purpose it informs,
and a process model (a stable level with noise, an optional seasonal pattern) from which
`tillit.demo.followup_data` draws three years of monthly values. Stories (a real shift, a boundary
crossed, a process that is hit-or-miss against its boundary) are told per unit in `STORIES`.

The texts are what a Swedish municipality's own people would write, so they are in Swedish; they are demo
content, not interface strings, and are not translated.
"""

from dataclasses import dataclass
from datetime import date

from tillit.indicators.enums import DataType, Direction, Origin

MEASUREMENT, COUNT, PROPORTION, RATE, DAYS = (
    DataType.MEASUREMENT,
    DataType.COUNT,
    DataType.PROPORTION,
    DataType.RATE,
    DataType.DAYS_BETWEEN,
)
UP, DOWN, NEUTRAL = Direction.UP, Direction.DOWN, Direction.NEUTRAL

# Seasonal patterns: month (1-12) -> effect in [-1, 1], multiplied by the process's amplitude.
SEASONS: dict[str, dict[int, float]] = {
    # Summer holidays: temporary staff, fewer familiar faces.
    "summer": {6: 0.5, 7: 1.0, 8: 0.6},
    # Winter: ice, flu and darkness.
    "winter": {11: 0.2, 12: 0.6, 1: 1.0, 2: 0.8, 3: 0.3},
    # The school year: absence climbs through the winter, falls towards the summer.
    "school": {8: -0.6, 9: -0.2, 10: 0.1, 11: 0.4, 12: 0.5, 1: 0.6, 2: 1.0, 3: 0.5, 4: 0.1, 5: -0.3, 6: -0.5},
    # Holiday months are quiet.
    "holiday": {7: -1.0, 8: -0.4, 12: -0.5},
    # Building season: applications in spring.
    "building": {1: -0.6, 2: -0.2, 3: 0.6, 4: 1.0, 5: 0.8, 6: 0.3, 11: -0.4, 12: -0.8},
}


@dataclass(frozen=True)
class Process:
    """How an indicator's values arise. `model` is one of:

    - "normal": value = level + season + N(0, sd), rounded to `decimals`, at least `minimum`;
    - "poisson": a count with mean `level` (season and steps multiply the mean);
    - "binomial": a proportion: about `size` cases a month, each a success with probability `level`
      (`over` adds month-to-month variation of the probability, as real processes have);
    - "rate": events per exposure: `size` is the exposure a month (e.g. care days), `level` the
      events per unit of exposure.
    """

    model: str
    level: float
    sd: float = 0.0
    size: float = 0.0
    over: float = 0.0
    season: str | None = None
    amplitude: float = 0.0  # absolute for normal and binomial, relative for poisson and rate
    decimals: int = 1
    minimum: float = 0.0


def normal(level, sd, *, season=None, amplitude=0.0, decimals=1, minimum=0.0) -> Process:
    return Process(
        "normal", level, sd=sd, season=season, amplitude=amplitude, decimals=decimals, minimum=minimum
    )


def poisson(level, *, season=None, amplitude=0.0) -> Process:
    return Process("poisson", level, season=season, amplitude=amplitude, decimals=0)


def binomial(level, size, *, over=0.0, season=None, amplitude=0.0) -> Process:
    return Process("binomial", level, size=size, over=over, season=season, amplitude=amplitude, decimals=0)


def rate(level, size, *, season=None, amplitude=0.0) -> Process:
    return Process("rate", level, size=size, season=season, amplitude=amplitude, decimals=0)


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    name: str
    definition: str
    purpose_link: str
    data_type: str
    direction: str
    measure_label: str
    process: Process
    required_by: str = ""  # empty: the unit asked for it itself
    units: tuple[str, ...] | None = None  # None: every unit of the kind
    skip_months: tuple[int, ...] = ()  # months without data (the school's July)

    @property
    def origin(self) -> str:
        return Origin.EXTERNAL if self.required_by else Origin.UNIT

    @property
    def scale(self) -> float:
        if self.data_type == PROPORTION:
            return 100.0
        if self.data_type == RATE:
            return 1000.0
        return 1.0


@dataclass(frozen=True)
class KindSpec:
    """A kind of unit: its indicators and what its trust agreements usually say."""

    units: tuple[str, ...]
    indicators: tuple[IndicatorSpec, ...]
    purpose: str  # the agreement's purpose when the unit has not written its own
    mandate: tuple[str, ...]
    qualitative_boundary: str
    boundary_keys: tuple[str, ...]  # indicators bounded in the agreement, first ones the unit has
    promises: tuple[tuple[str, int | None], ...]

    def indicators_of(self, unit: str) -> tuple[IndicatorSpec, ...]:
        return tuple(spec for spec in self.indicators if spec.units is None or unit in spec.units)


def ind(key, name, definition, purpose_link, data_type, direction, measure_label, process, **options):
    return IndicatorSpec(
        key, name, definition, purpose_link, data_type, direction, measure_label, process, **options
    )


# --- Home care (hemtjänst) --------------------------------------------------------------------------

HOME_CARE_UNITS = (
    "Hemtjänst Norr",
    "Hemtjänst Söder",
    "Hemtjänst Öster",
    "Hemtjänst Väster",
    "Hemtjänst Centrum",
    "Nattpatrullen",
)
DAY_HOME_CARE = HOME_CARE_UNITS[:-1]

HOME_CARE = KindSpec(
    units=HOME_CARE_UNITS,
    indicators=(
        ind(
            "falls",
            "Fall per 1 000 vårddygn",
            "Antal registrerade fallhändelser hos brukare under månaden, delat med antalet vårddygn "
            "(brukare med insats gånger dagar med insats).",
            "Ett tryggt och självständigt liv i eget hem: ett fall är ofta det som gör att någon inte "
            "längre kan bo kvar.",
            RATE,
            DOWN,
            "fall per 1 000 vårddygn",
            rate(0.0078, 2400, season="winter", amplitude=0.12),
        ),
        ind(
            "continuity",
            "Personalkontinuitet",
            "Antal olika medarbetare som en brukare med minst två besök per dag möter under 14 dagar, "
            "medelvärde för enhetens brukare, mätt den första veckan i månaden.",
            "Samma ansikten som kommer: brukarna säger att det är det som skapar trygghet.",
            MEASUREMENT,
            DOWN,
            "medarbetare per 14 dagar",
            normal(14.0, 0.9, season="summer", amplitude=2.0),
            required_by="Socialstyrelsen",
        ),
        ind(
            "satisfaction",
            "Nöjda brukare",
            "Andel av de svarande i månadens korta brukarenkät som är mycket eller ganska nöjda med "
            "hemtjänsten som helhet.",
            "Att brukaren själv tycker att hjälpen blir bra är det mått som ligger närmast vårt syfte.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.86, 28, over=0.02),
        ),
        ind(
            "missed_visits",
            "Missade besök",
            "Antal planerade besök som inte blev av, eller blev mer än två timmar sena utan att brukaren "
            "fått besked.",
            "Att vi kommer när vi sagt: ett missat besök kan betyda att någon blir utan mat eller läkemedel.",
            COUNT,
            DOWN,
            "besök",
            poisson(2.2, season="summer", amplitude=0.3),
        ),
        ind(
            "first_visit",
            "Tid från beslut till första besök",
            "Medelvärde av antal kalenderdagar från biståndsbeslut till första besök, för de beslut som "
            "fick sitt första besök under månaden.",
            "Trygghet börjar med att hjälpen kommer i gång när den behövs.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(3.4, 0.6, minimum=0.5),
            units=DAY_HOME_CARE,
        ),
        ind(
            "medication",
            "Läkemedelsavvikelser",
            "Antal rapporterade avvikelser i läkemedelshanteringen (utebliven dos, fel tid, fel "
            "läkemedel) under månaden.",
            "Säker hjälp med läkemedel är en förutsättning för att kunna bo kvar hemma.",
            COUNT,
            DOWN,
            "avvikelser",
            poisson(3.0),
        ),
        ind(
            "on_time",
            "Besök inom överenskommen tid",
            "Andel av månadens besök som började inom 30 minuter före eller efter den tid som brukaren "
            "och hemtjänsten kommit överens om.",
            "Att vi kommer när vi sagt, så att brukaren kan planera sin dag.",
            PROPORTION,
            UP,
            "procent av besök",
            binomial(0.93, 2600, over=0.008),
        ),
        ind(
            "influence",
            "Inflytande över när hjälpen ges",
            "Andel av de svarande i brukarenkäten som anser att de kan påverka vid vilka tider de får hjälp.",
            "Att få bestämma själv över sin dag.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.70, 28, over=0.02),
            units=DAY_HOME_CARE,
        ),
        ind(
            "care_plans",
            "Uppdaterade genomförandeplaner",
            "Andel brukare vars genomförandeplan har följts upp tillsammans med brukaren under de senaste "
            "sex månaderna, mätt sista dagen i månaden.",
            "Hjälpen ska utgå från vad brukaren själv vill, och det ändras över tid.",
            PROPORTION,
            UP,
            "procent av brukare",
            binomial(0.88, 80, over=0.015),
            required_by="Vård- och omsorgsnämnden",
        ),
        ind(
            "time_with_users",
            "Tid hos brukare",
            "Andel av medarbetarnas planerade arbetstid som används hos brukarna (inte restid, "
            "dokumentation eller möten), enligt planeringssystemet.",
            "Att ha tid att lyssna: tid hos brukaren är den tid som gör skillnad.",
            MEASUREMENT,
            UP,
            "procent av arbetstid",
            normal(61.0, 1.8, season="summer", amplitude=-1.5),
            units=DAY_HOME_CARE,
        ),
        ind(
            "alarm_response",
            "Tid till åtgärd vid trygghetslarm",
            "Median av antal minuter från att ett trygghetslarm tas emot till att personal är på plats "
            "hos brukaren, nattetid.",
            "Den som larmar på natten ska kunna lita på att hjälpen kommer snabbt.",
            MEASUREMENT,
            DOWN,
            "minuter",
            normal(21.0, 1.8),
            units=("Nattpatrullen",),
        ),
        ind(
            "remarks",
            "Synpunkter och klagomål",
            "Antal synpunkter och klagomål från brukare och anhöriga som registrerats under månaden.",
            "Vi vill höra vad brukare och anhöriga ser; en förändring åt något håll är värd att förstå.",
            COUNT,
            NEUTRAL,
            "synpunkter",
            poisson(2.5),
        ),
        ind(
            "nutrition_risk",
            "Riskbedömning för undernäring",
            "Andel brukare med en riskbedömning för undernäring (Senior alert) gjord under de senaste "
            "tolv månaderna.",
            "Trygghet i eget hem: undernäring är vanligt och går att förebygga.",
            PROPORTION,
            UP,
            "procent av brukare",
            binomial(0.82, 80, over=0.015),
            required_by="Socialstyrelsen",
        ),
        ind(
            "pressure_ulcers",
            "Nya trycksår",
            "Antal brukare som fått ett nytt trycksår under månaden, enligt avvikelserapporteringen.",
            "Trycksår orsakar smärta och går oftast att förebygga med rätt stöd.",
            COUNT,
            DOWN,
            "trycksår",
            poisson(0.7),
        ),
        ind(
            "contact_person",
            "Fast omsorgskontakt",
            "Andel brukare som har en namngiven fast omsorgskontakt och vet vem det är, mätt sista dagen "
            "i månaden.",
            "Samma ansikten som kommer: en fast kontakt som brukaren känner.",
            PROPORTION,
            UP,
            "procent av brukare",
            binomial(0.94, 80, over=0.01),
            required_by="Socialstyrelsen",
            units=DAY_HOME_CARE,
        ),
        ind(
            "conversation",
            "Besök med tid för samtal",
            "Andel av de besök som medarbetarna markerat i planeringsappen där det fanns tid att sitta "
            "ner och prata en stund.",
            "Att ha tid att lyssna.",
            PROPORTION,
            UP,
            "procent av besök",
            binomial(0.55, 300, over=0.025, season="summer", amplitude=-0.05),
        ),
    ),
    purpose="Vi finns till för att äldre ska kunna leva ett tryggt och självständigt liv i sitt eget hem.",
    mandate=(
        "Hur besöken planeras och fördelas mellan medarbetarna.",
        "Hur vi arbetar i team och vem som är fast omsorgskontakt.",
        "Vilka förbättringar vi prövar och hur vi följer upp dem.",
    ),
    qualitative_boundary="En brukare blir utan insats på grund av att ett besök missas.",
    boundary_keys=("falls", "missed_visits"),
    promises=(
        ("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),
        ("Vi ser till att bilar och telefoner fungerar och byts ut när de går sönder.", None),
    ),
)

# --- Nursing homes (särskilt boende) ----------------------------------------------------------------

NURSING_HOME = KindSpec(
    units=("Björkgården", "Lindgården"),
    indicators=(
        ind(
            "falls",
            "Fall per 1 000 vårddygn",
            "Antal registrerade fallhändelser bland de boende under månaden, delat med antalet vårddygn.",
            "Ett tryggt hem: fall ger rädsla, smärta och förlorad självständighet.",
            RATE,
            DOWN,
            "fall per 1 000 vårddygn",
            rate(0.011, 1250, season="winter", amplitude=0.1),
        ),
        ind(
            "pressure_ulcers",
            "Nya trycksår",
            "Antal boende som fått ett nytt trycksår (kategori 2–4) under månaden.",
            "Trycksår går oftast att förebygga med lägesändringar, nutrition och rätt madrass.",
            COUNT,
            DOWN,
            "trycksår",
            poisson(1.0),
        ),
        ind(
            "medication",
            "Läkemedelsavvikelser",
            "Antal rapporterade avvikelser i läkemedelshanteringen under månaden.",
            "Säker läkemedelshantering är en grund för en god vardag.",
            COUNT,
            DOWN,
            "avvikelser",
            poisson(3.5),
        ),
        ind(
            "satisfaction",
            "Nöjda boende",
            "Andel av de boende som i månadens samtal svarar att de trivs på boendet.",
            "Ett hem där man trivs, inte en institution.",
            PROPORTION,
            UP,
            "procent av tillfrågade",
            binomial(0.84, 22, over=0.02),
        ),
        ind(
            "relatives",
            "Nöjda anhöriga",
            "Andel av de anhöriga som besvarat månadens korta enkät som är nöjda med vården och bemötandet.",
            "Anhöriga är en del av de boendes liv och ska känna sig välkomna.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.81, 14, over=0.02),
        ),
        ind(
            "continuity",
            "Personalkontinuitet",
            "Antal olika medarbetare som en boende möter under 14 dagar, medelvärde, mätt den första "
            "veckan i månaden.",
            "Att känna igen den som hjälper en, särskilt för den som har en demenssjukdom.",
            MEASUREMENT,
            DOWN,
            "medarbetare per 14 dagar",
            normal(9.0, 0.7, season="summer", amplitude=1.4),
            required_by="Socialstyrelsen",
        ),
        ind(
            "outdoors",
            "Utevistelse varje vecka",
            "Andel boende som varit utomhus minst en gång varje vecka under månaden, om de själva ville.",
            "Ett gott liv: frisk luft och att komma ut är något de boende ofta saknar.",
            PROPORTION,
            UP,
            "procent av boende",
            binomial(0.68, 40, over=0.03, season="winter", amplitude=-0.12),
        ),
        ind(
            "night_fast",
            "Nattfasta längre än 11 timmar",
            "Andel boende vars nattfasta (tid mellan kvällens sista och morgonens första mål) var längre "
            "än elva timmar, vid månadens mätning.",
            "Att äta gott och tillräckligt är en del av en värdig vardag.",
            PROPORTION,
            DOWN,
            "procent av boende",
            binomial(0.22, 40, over=0.02),
            required_by="Socialstyrelsen",
        ),
        ind(
            "risk_assessment",
            "Aktuell riskbedömning",
            "Andel boende med en riskbedömning för fall, trycksår och undernäring (Senior alert) gjord "
            "under de senaste sex månaderna.",
            "Förebygga hellre än åtgärda.",
            PROPORTION,
            UP,
            "procent av boende",
            binomial(0.90, 40, over=0.01),
            required_by="Socialstyrelsen",
        ),
        ind(
            "hygiene",
            "Följsamhet till basala hygienrutiner",
            "Andel av månadens observationstillfällen där alla steg i de basala hygienrutinerna följdes.",
            "Att inte sprida smitta till dem som är mest sårbara.",
            PROPORTION,
            UP,
            "procent av observationer",
            binomial(0.88, 30, over=0.02),
        ),
        ind(
            "activities",
            "Aktiviteter per vecka",
            "Antal gemensamma aktiviteter (sång, promenad, spel, utflykt) som erbjudits per vecka, "
            "medelvärde för månaden.",
            "Ett gott liv är mer än omvårdnad.",
            MEASUREMENT,
            UP,
            "aktiviteter per vecka",
            normal(9.0, 1.0, season="summer", amplitude=-1.0),
        ),
        ind(
            "restraints",
            "Begränsningsåtgärder",
            "Antal tillfällen då en åtgärd som begränsar en boendes rörelsefrihet (t.ex. sänggrind, bälte) "
            "använts under månaden.",
            "Värdighet och självbestämmande, också när det är svårt.",
            COUNT,
            DOWN,
            "tillfällen",
            poisson(0.5),
        ),
        ind(
            "medication_review",
            "Läkemedelsgenomgångar i tid",
            "Andel boende som fått en läkemedelsgenomgång inom tolv månader från den förra.",
            "Rätt läkemedel, inte fler än nödvändigt.",
            PROPORTION,
            UP,
            "procent av boende",
            binomial(0.86, 12, over=0.02),
            required_by="Socialstyrelsen",
        ),
        ind(
            "pain_assessment",
            "Smärtskattning sista levnadsveckan",
            "Andel av de boende som avlidit under månaden som fick sin smärta skattad med ett "
            "validerat instrument under sin sista levnadsvecka.",
            "En värdig död utan onödig smärta.",
            PROPORTION,
            UP,
            "procent av avlidna",
            binomial(0.80, 4),
            required_by="Svenska palliativregistret",
        ),
        ind(
            "meals",
            "Måltider med personal vid bordet",
            "Andel av de observerade måltiderna där personal satt med vid bordet och åt tillsammans med de "
            "boende.",
            "Måltiden som en stund av gemenskap.",
            PROPORTION,
            UP,
            "procent av måltider",
            binomial(0.74, 60, over=0.02),
        ),
    ),
    purpose="Vi ska ge de boende ett tryggt hem med god omvårdnad, där var och en får leva sitt liv på sitt sätt.",
    mandate=(
        "Hur dagen och aktiviteterna läggs upp tillsammans med de boende.",
        "Hur bemanningen fördelas över dygnet inom budget.",
        "Vilka förbättringar vi prövar.",
    ),
    qualitative_boundary="En boende skadas allvarligt av en åtgärd som kunde ha förebyggts.",
    boundary_keys=("falls", "pressure_ulcers"),
    promises=(
        ("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),
        ("Vi ordnar vikarier genom bemanningsenheten vid långtidsfrånvaro.", None),
    ),
)

# --- Health care (hälso- och sjukvård) ---------------------------------------------------------------

NURSES, REHAB = ("Sjuksköterskeenheten",), ("Rehabenheten",)

HEALTH_CARE = KindSpec(
    units=("Sjuksköterskeenheten", "Rehabenheten"),
    indicators=(
        ind(
            "medication",
            "Läkemedelsavvikelser",
            "Antal rapporterade avvikelser i läkemedelshanteringen i hemtjänst och särskilt boende där "
            "sjuksköterska delegerat uppgiften.",
            "Säker vård: delegering ska vara en trygghet, inte en risk.",
            COUNT,
            DOWN,
            "avvikelser",
            poisson(6.0),
            units=NURSES,
        ),
        ind(
            "response_time",
            "Svarstid till omvårdnadspersonal",
            "Median av antal minuter från att omvårdnadspersonal söker sjuksköterska till att de får svar.",
            "Den som arbetar nära brukaren ska få stöd när det behövs.",
            MEASUREMENT,
            DOWN,
            "minuter",
            normal(24.0, 2.5),
            units=NURSES,
        ),
        ind(
            "admissions",
            "Undvikbara sjukhusinläggningar",
            "Antal inläggningar på sjukhus som vid uppföljning bedömts ha kunnat undvikas med vård i hemmet.",
            "Rätt vård på rätt plats: att få vara hemma när det går.",
            COUNT,
            DOWN,
            "inläggningar",
            poisson(2.0),
            units=NURSES,
        ),
        ind(
            "medication_reviews",
            "Läkemedelsgenomgångar",
            "Andel av de patienter som skulle ha en läkemedelsgenomgång under månaden som fick den.",
            "Rätt läkemedel, inte fler än nödvändigt.",
            PROPORTION,
            UP,
            "procent av patienter",
            binomial(0.82, 25, over=0.02),
            required_by="Socialstyrelsen",
            units=NURSES,
        ),
        ind(
            "delegations",
            "Delegeringar förnyade i tid",
            "Andel delegeringar av hälso- och sjukvårdsuppgifter som förnyades innan de gick ut.",
            "Säker vård: den som gör en uppgift ska ha kunskapen och beslutet.",
            PROPORTION,
            UP,
            "procent av delegeringar",
            binomial(0.93, 45, over=0.01),
            required_by="Socialstyrelsen",
            units=NURSES,
        ),
        ind(
            "end_of_life_talks",
            "Brytpunktssamtal",
            "Andel av de patienter som avlidit väntat under månaden som hade ett dokumenterat "
            "brytpunktssamtal.",
            "En värdig sista tid, planerad tillsammans med patient och närstående.",
            PROPORTION,
            UP,
            "procent av avlidna",
            binomial(0.72, 5),
            required_by="Svenska palliativregistret",
            units=NURSES,
        ),
        ind(
            "first_rehab",
            "Tid till första rehabbesök",
            "Medelvärde av antal dagar från remiss till första besök av fysioterapeut eller arbetsterapeut.",
            "Att tidigt få hjälp att behålla sin förmåga.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(6.0, 0.9, season="summer", amplitude=1.2, minimum=1.0),
            units=REHAB,
        ),
        ind(
            "aids",
            "Hjälpmedel inom 14 dagar",
            "Andel förskrivna hjälpmedel som levererats och provats ut inom 14 dagar.",
            "Ett självständigt liv: rätt hjälpmedel i tid.",
            PROPORTION,
            UP,
            "procent av hjälpmedel",
            binomial(0.86, 55, over=0.015),
            units=REHAB,
        ),
        ind(
            "fall_follow_up",
            "Fallutredning efter fall",
            "Andel av månadens fall hos patienter där rehab gjort en fallutredning inom en vecka.",
            "Att lära av ett fall så att nästa kan förebyggas.",
            PROPORTION,
            UP,
            "procent av fall",
            binomial(0.76, 22, over=0.02),
            units=REHAB,
        ),
        ind(
            "coaching",
            "Handledning av omvårdnadspersonal",
            "Antal tillfällen då rehab handlett omvårdnadspersonal i förflyttningar eller vardagsrehabilitering.",
            "Förmågan behålls i vardagen, inte bara vid rehabbesöket.",
            COUNT,
            UP,
            "tillfällen",
            poisson(9.0, season="summer", amplitude=-0.3),
            units=REHAB,
        ),
        ind(
            "goals",
            "Uppnådda rehabiliteringsmål",
            "Andel av de avslutade rehabiliteringsperioderna där patientens eget mål nåddes helt eller "
            "delvis.",
            "Patientens egna mål är det som räknas.",
            PROPORTION,
            UP,
            "procent av avslutade",
            binomial(0.72, 16, over=0.02),
            units=REHAB,
        ),
        ind(
            "satisfaction",
            "Nöjda med stödet",
            "Andel av de tillfrågade enhetscheferna och medarbetarna i hemtjänst och boenden som är nöjda "
            "med stödet från enheten.",
            "Vi finns till för att omvårdnaden nära brukaren ska bli säker och god.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.84, 16, over=0.02),
        ),
    ),
    purpose="Vi ger en säker och nära hälso- och sjukvård till dem som bor hemma eller på boende.",
    mandate=(
        "Hur sjuksköterskor och rehabpersonal fördelar sitt arbete mellan områdena.",
        "Hur delegering och handledning av omvårdnadspersonal går till.",
    ),
    qualitative_boundary="En patient får en allvarlig vårdskada som kunde ha förebyggts.",
    boundary_keys=("medication", "first_rehab"),
    promises=(("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

# --- Schools (grundskola) ---------------------------------------------------------------------------

SCHOOL_UNITS = ("Ekskolan", "Tallskolan", "Almskolan", "Granskolan")
JULY = (7,)


def school(*args, **options) -> IndicatorSpec:
    return ind(*args, skip_months=JULY, **options)


SCHOOL = KindSpec(
    units=SCHOOL_UNITS,
    indicators=(
        school(
            "absence",
            "Frånvaro",
            "Elevernas sammanlagda frånvaro (anmäld och oanmäld) som andel av den schemalagda "
            "undervisningstiden under månaden.",
            "Att få hjälp i tid börjar med att vara i skolan; frånvaro är ofta ett tecken på något annat.",
            MEASUREMENT,
            DOWN,
            "procent av undervisningstid",
            normal(6.4, 0.45, season="school", amplitude=1.0),
        ),
        school(
            "long_absence",
            "Elever med hög frånvaro",
            "Andel elever vars frånvaro under månaden var 15 procent eller mer.",
            "Att bli sedd varje dag: ingen elev ska försvinna ur skolan utan att vi märker det.",
            PROPORTION,
            DOWN,
            "procent av elever",
            binomial(0.08, 320, over=0.008, season="school", amplitude=0.015),
        ),
        school(
            "safety",
            "Elever som känner sig trygga",
            "Andel av de elever som svarat på månadens korta enkät som instämmer i påståendet "
            "”Jag känner mig trygg i skolan”.",
            "Att känna sig trygg i skolan.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.87, 120, over=0.015),
        ),
        school(
            "study_peace",
            "Studiero",
            "Andel av de svarande eleverna som instämmer i att de oftast kan arbeta i lugn och ro på "
            "lektionerna.",
            "Nyfikenhet och lärande behöver lugn.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.72, 120, over=0.02),
        ),
        school(
            "offences",
            "Anmälda kränkningar",
            "Antal händelser där en elev upplevt sig kränkt som anmälts till rektor under månaden.",
            "Att känna sig trygg i skolan; varje anmälan ska utredas.",
            COUNT,
            DOWN,
            "anmälningar",
            poisson(5.0),
            required_by="Barn- och utbildningsnämnden",
        ),
        school(
            "reading",
            "Läsutveckling enligt plan",
            "Andel av de elever vars läsning bedömts under månaden som når den nivå lärarna bedömer "
            "rimlig för årskursen, enligt skolans läsplan.",
            "Kunskaper och tron på att man kan lära sig mer: läsningen är nyckeln.",
            PROPORTION,
            UP,
            "procent av bedömda",
            binomial(0.77, 55, over=0.02),
        ),
        school(
            "pupil_health",
            "Elevhälsoärenden påbörjade inom två veckor",
            "Andel av de ärenden som lärare lyft till elevhälsoteamet där arbetet påbörjades inom två "
            "veckor.",
            "Att få hjälp i tid.",
            PROPORTION,
            UP,
            "procent av ärenden",
            binomial(0.86, 11, over=0.02),
        ),
        school(
            "substitutes",
            "Lektioner med behörig vikarie",
            "Andel av lektionerna med frånvarande lärare där eleverna fick en behörig lärare som vikarie.",
            "Lärandet ska inte stanna när en lärare är borta.",
            PROPORTION,
            UP,
            "procent av lektioner",
            binomial(0.60, 70, over=0.03),
        ),
        school(
            "cancelled",
            "Inställda lektioner",
            "Antal lektioner som ställts in helt under månaden.",
            "Varje lektion är elevernas tid.",
            COUNT,
            DOWN,
            "lektioner",
            poisson(3.0, season="winter", amplitude=0.3),
        ),
        school(
            "guardians",
            "Nöjda vårdnadshavare",
            "Andel av de vårdnadshavare som svarat på månadens korta enkät som är nöjda med skolans "
            "kontakt och information.",
            "Skolan och hemmet tillsammans.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.82, 40, over=0.02),
        ),
        school(
            "action_plans",
            "Åtgärdsprogram uppföljda i tid",
            "Andel av de åtgärdsprogram som skulle följas upp under månaden som följdes upp och utvärderades "
            "i tid.",
            "Att stödet faktiskt hjälper eleven.",
            PROPORTION,
            UP,
            "procent av åtgärdsprogram",
            binomial(0.85, 12, over=0.02),
            required_by="Skolverket",
        ),
        school(
            "damage",
            "Skadegörelse",
            "Antal anmälda tillfällen av skadegörelse på skolans lokaler och utrustning under månaden.",
            "En skola som eleverna känner att den är deras.",
            COUNT,
            DOWN,
            "tillfällen",
            poisson(2.0),
        ),
        school(
            "reply_time",
            "Svarstid till vårdnadshavare",
            "Medelvärde av antal timmar från att en vårdnadshavare skickat ett meddelande till att hen "
            "fått svar från skolan, under skoldagar.",
            "Skolan och hemmet tillsammans: att få svar när man undrar.",
            MEASUREMENT,
            DOWN,
            "timmar",
            normal(19.0, 2.2),
        ),
        school(
            "reading_time",
            "Lästid per dag",
            "Genomsnittligt antal minuter per skoldag som eleverna läser egen bok i skolan, enligt "
            "lärarnas loggbok.",
            "Läsningen är nyckeln till nyfikenhet och kunskap.",
            MEASUREMENT,
            UP,
            "minuter",
            normal(14.0, 1.2),
        ),
        school(
            "lunch",
            "Elever som äter skollunch",
            "Andel av de närvarande eleverna som åt lunch i skolan, vid månadens stickprov.",
            "Den som är mätt orkar lära sig.",
            PROPORTION,
            UP,
            "procent av närvarande",
            binomial(0.82, 250, over=0.015),
        ),
    ),
    purpose="Varje elev ska lämna skolan med kunskaper, nyfikenhet och tron på att hen kan lära sig mer.",
    mandate=(
        "Hur undervisningen organiseras och schemaläggs.",
        "Hur skolans resurser för stöd fördelas mellan klasserna.",
        "Vilka arbetssätt vi prövar för läsning och studiero.",
    ),
    qualitative_boundary="En elev som behöver särskilt stöd står utan stöd i mer än en månad.",
    boundary_keys=("absence", "safety"),
    promises=(
        ("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),
        ("Vi ger skolan stöd av elevhälsans psykolog inom fyra veckor.", None),
    ),
)

# --- Upper secondary and adult education -------------------------------------------------------------

GYMNASIUM, KOMVUX = ("Exempelby gymnasium",), ("Komvux",)

UPPER_SECONDARY = KindSpec(
    units=("Exempelby gymnasium", "Komvux"),
    indicators=(
        school(
            "absence",
            "Frånvaro",
            "Elevernas sammanlagda frånvaro som andel av den schemalagda undervisningstiden under månaden.",
            "Att fullfölja utbildningen börjar med att vara där.",
            MEASUREMENT,
            DOWN,
            "procent av undervisningstid",
            normal(9.5, 0.6, season="school", amplitude=1.2),
            units=GYMNASIUM,
        ),
        school(
            "dropouts",
            "Elever som lämnat sitt program",
            "Antal elever som avbrutit sina gymnasiestudier under månaden utan att börja på ett annat "
            "program.",
            "Alla ska få en utbildning som leder vidare.",
            COUNT,
            DOWN,
            "elever",
            poisson(1.5),
            units=GYMNASIUM,
        ),
        school(
            "at_risk",
            "Elever med risk för F",
            "Andel av eleverna som lärarna under månaden bedömt riskerar att inte nå godkänt i minst en kurs.",
            "Att få hjälp i tid, innan kursen är slut.",
            PROPORTION,
            DOWN,
            "procent av elever",
            binomial(0.10, 420, over=0.008, season="school", amplitude=0.015),
            units=GYMNASIUM,
        ),
        school(
            "safety",
            "Elever som känner sig trygga",
            "Andel av de svarande eleverna som instämmer i att de känner sig trygga i skolan.",
            "Trygghet är en förutsättning för lärande.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.88, 150, over=0.015),
            units=GYMNASIUM,
        ),
        school(
            "workplace",
            "APL-platser ordnade i tid",
            "Andel av de elever som skulle börja arbetsplatsförlagt lärande under månaden som hade en "
            "plats ordnad två veckor innan.",
            "En utbildning som leder till arbete.",
            PROPORTION,
            UP,
            "procent av elever",
            binomial(0.90, 25, over=0.02),
            units=GYMNASIUM,
        ),
        ind(
            "guidance_wait",
            "Väntetid till studie- och yrkesvägledare",
            "Medelvärde av antal dagar från att en elev bokat till att samtalet med studie- och "
            "yrkesvägledare äger rum.",
            "Att kunna välja väg med stöd.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(5.5, 0.8, season="summer", amplitude=1.5, minimum=1.0),
        ),
        ind(
            "satisfaction",
            "Nöjda elever",
            "Andel av de svarande eleverna som är nöjda med sin utbildning som helhet.",
            "Eleverna är de som vet om utbildningen håller vad den lovar.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.80, 90, over=0.02),
        ),
        ind(
            "completion",
            "Fullföljda kurser",
            "Andel av de kursdeltagare vars kurs slutade under månaden som fullföljde kursen med betyg.",
            "Vuxna ska kunna komma vidare till arbete och studier.",
            PROPORTION,
            UP,
            "procent av kursdeltagare",
            binomial(0.78, 130, over=0.02),
            units=KOMVUX,
        ),
        ind(
            "interruptions",
            "Avbrott i kurs",
            "Andel av de aktiva kursdeltagarna som avbröt en kurs under månaden.",
            "Att studierna går att kombinera med ett vuxenliv.",
            PROPORTION,
            DOWN,
            "procent av kursdeltagare",
            binomial(0.12, 160, over=0.01),
            units=KOMVUX,
        ),
        ind(
            "start_wait",
            "Tid från ansökan till kursstart",
            "Medelvärde av antal dagar från ansökan till kursstart för dem som började en kurs under månaden.",
            "Att kunna börja när livet kräver det.",
            DAYS,
            DOWN,
            "dagar",
            normal(24.0, 3.0, season="summer", amplitude=6.0, decimals=0, minimum=1),
            units=KOMVUX,
        ),
        ind(
            "sfi_progress",
            "Sfi-elever som klarar nationellt prov",
            "Andel av de sfi-elever som skrev nationellt prov under månaden som fick godkänt.",
            "Språket öppnar dörren till arbete och samhälle.",
            PROPORTION,
            UP,
            "procent av provskrivande",
            binomial(0.66, 20, over=0.02),
            units=KOMVUX,
        ),
    ),
    purpose="Vi ger unga och vuxna en utbildning som leder vidare till arbete och fortsatta studier.",
    mandate=(
        "Hur undervisningen organiseras och schemaläggs.",
        "Vilka arbetssätt vi prövar för att fler ska fullfölja.",
    ),
    qualitative_boundary="En elev lämnar utbildningen utan att ha fått ett samtal om vägen vidare.",
    boundary_keys=("absence", "interruptions"),
    promises=(("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

# --- Preschools (förskola) --------------------------------------------------------------------------

PRESCHOOL = KindSpec(
    units=("Förskolan Solrosen", "Förskolan Blåklinten"),
    indicators=(
        ind(
            "children_per_adult",
            "Barn per pedagog",
            "Genomsnittligt antal närvarande barn per närvarande pedagog, mätt klockan 10 varje dag.",
            "Tid för varje barn: att bli sedd och lyssnad på.",
            MEASUREMENT,
            DOWN,
            "barn per pedagog",
            normal(5.2, 0.25, season="holiday", amplitude=-0.5, decimals=2),
        ),
        ind(
            "substitutes",
            "Frånvaro täckt av vikarie",
            "Andel av dagarna med frånvarande personal där frånvaron täcktes av en vikarie.",
            "Trygghet: barnen ska mötas av vuxna som har tid.",
            PROPORTION,
            UP,
            "procent av dagar",
            binomial(0.80, 22, over=0.03),
        ),
        ind(
            "guardians_safe",
            "Vårdnadshavare som upplever att barnet är tryggt",
            "Andel av de vårdnadshavare som svarat på månadens korta enkät som instämmer i att deras barn "
            "är tryggt på förskolan.",
            "Ett tryggt barn kan leka och lära.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.92, 22, over=0.015),
        ),
        ind(
            "outdoors",
            "Utevistelse per dag",
            "Genomsnittligt antal minuter per dag som barngrupperna är utomhus, enligt avdelningarnas logg.",
            "Lek, rörelse och natur är en del av lärandet.",
            MEASUREMENT,
            UP,
            "minuter",
            normal(96.0, 7.0, season="winter", amplitude=-14.0, decimals=0),
        ),
        ind(
            "settling_in",
            "Inskolningar klara inom två veckor",
            "Andel av de inskolningar som avslutades under månaden där barnet och vårdnadshavaren kände sig "
            "trygga inom två veckor.",
            "En trygg start.",
            PROPORTION,
            UP,
            "procent av inskolningar",
            binomial(0.85, 4),
        ),
        ind(
            "incidents",
            "Tillbud och olyckor",
            "Antal tillbud och olyckor med barn som rapporterats under månaden.",
            "Trygghet och säkerhet i leken.",
            COUNT,
            DOWN,
            "händelser",
            poisson(2.4),
        ),
        ind(
            "documentation",
            "Dokumenterat lärande",
            "Andel barn vars lärande och utveckling har dokumenterats tillsammans med barnet under de senaste "
            "tre månaderna.",
            "Att synliggöra varje barns lärande.",
            PROPORTION,
            UP,
            "procent av barn",
            binomial(0.80, 50, over=0.02),
            required_by="Skolverket",
        ),
        ind(
            "planning_time",
            "Genomförd planeringstid",
            "Andel av den schemalagda planeringstiden som pedagogerna faktiskt kunde använda till planering.",
            "Undervisning i förskolan behöver planeras.",
            MEASUREMENT,
            UP,
            "procent av schemalagd tid",
            normal(84.0, 3.5, decimals=0),
        ),
        ind(
            "reading_aloud",
            "Högläsning per vecka",
            "Genomsnittligt antal tillfällen per vecka med planerad högläsning i varje barngrupp.",
            "Språket växer när någon läser.",
            MEASUREMENT,
            UP,
            "tillfällen per vecka",
            normal(8.0, 0.8),
        ),
        ind(
            "talks",
            "Utvecklingssamtal i tid",
            "Andel av de utvecklingssamtal som skulle hållas under månaden som hölls.",
            "Förskolan och hemmet tillsammans.",
            PROPORTION,
            UP,
            "procent av samtal",
            binomial(0.90, 8),
        ),
        ind(
            "queue_time",
            "Kötid till plats",
            "Medelvärde av antal dagar från önskat placeringsdatum till erbjuden plats, för barn som fick "
            "plats under månaden.",
            "Familjer ska kunna lita på att plats finns när den behövs.",
            DAYS,
            DOWN,
            "dagar",
            normal(12.0, 3.0, decimals=0, minimum=0),
            required_by="Skolverket",
        ),
        ind(
            "remarks",
            "Inkomna synpunkter",
            "Antal synpunkter och klagomål från vårdnadshavare som registrerats under månaden.",
            "Vi vill höra vad familjerna ser.",
            COUNT,
            NEUTRAL,
            "synpunkter",
            poisson(1.5),
        ),
    ),
    purpose="Varje barn ska få leka, lära och utvecklas i en trygg förskola där det blir sett och lyssnat på.",
    mandate=(
        "Hur dagen och barngrupperna organiseras.",
        "Hur utbildningen planeras och dokumenteras.",
    ),
    qualitative_boundary="Ett barn lämnas utan uppsikt.",
    boundary_keys=("incidents", "guardians_safe"),
    promises=(("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

# --- Pupil health (elevhälsa) -------------------------------------------------------------------------

PUPIL_HEALTH = KindSpec(
    units=("Centrala elevhälsan",),
    indicators=(
        ind(
            "counsellor_wait",
            "Väntetid till kurator",
            "Medelvärde av antal dagar från att en elev eller skola sökt kurator till första samtalet.",
            "Att få hjälp i tid.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(7.0, 1.1, minimum=1.0),
        ),
        ind(
            "started",
            "Ärenden påbörjade inom två veckor",
            "Andel av månadens nya ärenden där elevhälsan träffat eleven inom två veckor.",
            "Att få hjälp i tid.",
            PROPORTION,
            UP,
            "procent av ärenden",
            binomial(0.85, 26, over=0.02),
        ),
        ind(
            "health_talks",
            "Hälsosamtal enligt plan",
            "Andel av de hälsosamtal som enligt planen skulle hållas under månaden som hölls.",
            "Att se varje elevs hälsa, inte bara de som söker.",
            PROPORTION,
            UP,
            "procent av planerade",
            binomial(0.90, 80, over=0.015),
            required_by="Skolverket",
            skip_months=JULY,
        ),
        ind(
            "vaccinations",
            "Vaccinationer enligt program",
            "Andel av de elever som enligt vaccinationsprogrammet skulle vaccineras under månaden som "
            "vaccinerades.",
            "Skydd mot allvarliga sjukdomar för alla barn.",
            PROPORTION,
            UP,
            "procent av elever",
            binomial(0.96, 60, over=0.005),
            required_by="Folkhälsomyndigheten",
            skip_months=JULY,
        ),
        ind(
            "satisfaction",
            "Nöjda elever",
            "Andel av de elever som svarat efter avslutad kontakt som tyckte att de fick hjälp.",
            "Elevens egen upplevelse av stödet.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.80, 20, over=0.02),
        ),
        ind(
            "consultations",
            "Konsultationer med lärare",
            "Antal tillfällen då elevhälsan gett konsultation till lärare om hur de kan stödja elever.",
            "Stödet ska nå klassrummet.",
            COUNT,
            UP,
            "konsultationer",
            poisson(30.0, season="holiday", amplitude=0.4),
        ),
        ind(
            "reports",
            "Orosanmälningar",
            "Antal orosanmälningar till socialtjänsten som elevhälsan gjort under månaden.",
            "Barnets trygghet; en förändring behöver förstås.",
            COUNT,
            NEUTRAL,
            "anmälningar",
            poisson(4.0),
        ),
        ind(
            "feedback",
            "Återkoppling till skolan inom fem dagar",
            "Andel av ärendena där skolan fick återkoppling från elevhälsan inom fem arbetsdagar.",
            "Skolan och elevhälsan arbetar tillsammans.",
            PROPORTION,
            UP,
            "procent av ärenden",
            binomial(0.80, 25, over=0.02),
        ),
        ind(
            "psychologist_wait",
            "Väntetid till psykologutredning",
            "Medelvärde av antal veckor från beslut om psykologutredning till att den påbörjas.",
            "Att rätt stöd kan sättas in.",
            MEASUREMENT,
            DOWN,
            "veckor",
            normal(8.0, 0.8),
        ),
        ind(
            "no_shows",
            "Uteblivna besök",
            "Antal bokade besök hos elevhälsan där eleven inte kom.",
            "Att nå de elever som behöver oss.",
            COUNT,
            DOWN,
            "besök",
            poisson(6.0),
        ),
    ),
    purpose="Vi stödjer elevernas hälsa och lärande, så att varje elev kan klara skolan.",
    mandate=("Hur elevhälsans resurser fördelas mellan skolorna.", "Hur vi prioriterar bland ärendena."),
    qualitative_boundary="En elev med akut behov får vänta på kontakt.",
    boundary_keys=("counsellor_wait",),
    promises=(("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

# --- Social services (individ- och familjeomsorg) ---------------------------------------------------

INTAKE, CHILDREN, ADULTS, BENEFITS = (
    "Mottagningsenheten",
    "Barn och unga",
    "Vuxenenheten",
    "Ekonomiskt bistånd",
)

SOCIAL_SERVICES = KindSpec(
    units=(INTAKE, CHILDREN, ADULTS, BENEFITS),
    indicators=(
        ind(
            "first_contact",
            "Väntetid till första kontakt",
            "Medelvärde av antal arbetsdagar från att en ansökan eller anmälan kommit in till första "
            "kontakten med den enskilde.",
            "Att bli tagen på allvar när man söker hjälp.",
            MEASUREMENT,
            DOWN,
            "arbetsdagar",
            normal(4.0, 0.6, season="summer", amplitude=0.8, minimum=0.5),
            units=(INTAKE, ADULTS, BENEFITS),
        ),
        ind(
            "reapplications",
            "Återaktualiseringar inom 12 månader",
            "Andel av månadens nya ärenden där samma person eller familj hade ett avslutat ärende inom de "
            "senaste tolv månaderna.",
            "Att insatsen faktiskt hjälper, så att problemen inte kommer tillbaka.",
            PROPORTION,
            DOWN,
            "procent av nya ärenden",
            binomial(0.18, 45, over=0.015),
            required_by="Socialstyrelsen",
            units=(INTAKE, CHILDREN, ADULTS),
        ),
        ind(
            "decided_4m",
            "Utredningar klara inom fyra månader",
            "Andel av de utredningar som avslutades under månaden som blev klara inom fyra månader.",
            "Barn och vuxna ska inte behöva vänta på beslut om stöd.",
            PROPORTION,
            UP,
            "procent av utredningar",
            binomial(0.88, 22, over=0.02),
            required_by="Socialstyrelsen",
            units=(CHILDREN, ADULTS),
        ),
        ind(
            "pre_assessment",
            "Förhandsbedömningar inom 14 dagar",
            "Andel av månadens förhandsbedömningar av orosanmälningar om barn som gjordes inom 14 dagar.",
            "Ett barn som någon oroar sig för ska snabbt få sin situation bedömd.",
            PROPORTION,
            UP,
            "procent av förhandsbedömningar",
            binomial(0.93, 60, over=0.01),
            required_by="Socialstyrelsen",
            units=(INTAKE,),
        ),
        ind(
            "satisfaction",
            "Nöjda med bemötandet",
            "Andel av de svarande i månadens korta enkät som tycker att de blev lyssnade på och bemötta "
            "med respekt.",
            "Att bli bemött med respekt, också när beskedet är svårt.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.80, 26, over=0.02),
        ),
        ind(
            "incoming",
            "Inkomna ansökningar och anmälningar",
            "Antal ansökningar och anmälningar som kommit in under månaden.",
            "Hur många som söker oss; en förändring behöver förstås och planeras för.",
            COUNT,
            NEUTRAL,
            "ärenden",
            poisson(120.0, season="holiday", amplitude=0.06),
            units=(INTAKE, BENEFITS),
        ),
        ind(
            "appeals_changed",
            "Överklagade beslut som ändrats",
            "Antal beslut som förvaltningsrätten ändrat efter överklagan under månaden.",
            "Rättssäkerhet: rätt beslut första gången.",
            COUNT,
            DOWN,
            "beslut",
            poisson(0.7),
            units=(CHILDREN, ADULTS, BENEFITS),
        ),
        ind(
            "decision_time",
            "Tid från ansökan till beslut",
            "Medelvärde av antal dagar från komplett ansökan om ekonomiskt bistånd till beslut.",
            "Den som saknar pengar till mat och hyra kan inte vänta.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(8.0, 0.9, minimum=1.0),
            units=(BENEFITS,),
        ),
        ind(
            "long_term",
            "Hushåll med långvarigt bistånd",
            "Andel av hushållen med ekonomiskt bistånd under månaden som haft bistånd i minst tio av de "
            "senaste tolv månaderna.",
            "Vägen till egen försörjning.",
            PROPORTION,
            DOWN,
            "procent av hushåll",
            binomial(0.35, 300, over=0.01),
            units=(BENEFITS,),
        ),
        ind(
            "home_based",
            "Insatser på hemmaplan",
            "Andel av månadens beviljade insatser för barn och unga som ges i hemmet eller närmiljön i "
            "stället för en placering.",
            "Barn ska kunna växa upp i sin familj när det är möjligt.",
            PROPORTION,
            UP,
            "procent av insatser",
            binomial(0.70, 40, over=0.02),
            units=(CHILDREN,),
        ),
        ind(
            "plans",
            "Aktuell genomförandeplan",
            "Andel av de pågående insatserna som har en genomförandeplan som följts upp under de senaste "
            "sex månaderna.",
            "Stödet ska utgå från den enskildes egna mål.",
            PROPORTION,
            UP,
            "procent av insatser",
            binomial(0.85, 60, over=0.015),
            units=(CHILDREN, ADULTS),
        ),
        ind(
            "sip",
            "SIP inom fyra veckor",
            "Andel av de samordnade individuella planer (SIP) som begärts som hölls inom fyra veckor.",
            "Helhetssyn: den enskilde ska inte behöva samordna oss.",
            PROPORTION,
            UP,
            "procent av begärda",
            binomial(0.75, 9),
            units=(CHILDREN, ADULTS),
        ),
        ind(
            "broken_contact",
            "Avbrutna kontakter",
            "Antal pågående insatser som avbrutits under månaden för att vi tappat kontakten med den enskilde.",
            "Att finnas kvar när det är svårt.",
            COUNT,
            DOWN,
            "insatser",
            poisson(3.0),
            units=(ADULTS,),
        ),
        ind(
            "digital",
            "Ansökningar via e-tjänst",
            "Andel av månadens ansökningar om ekonomiskt bistånd som gjordes i e-tjänsten.",
            "Enklare att söka, mer tid för samtal med dem som behöver det.",
            PROPORTION,
            UP,
            "procent av ansökningar",
            binomial(0.58, 260, over=0.015),
            units=(BENEFITS,),
        ),
        ind(
            "reporter_feedback",
            "Återkoppling till anmälare inom en vecka",
            "Andel av månadens orosanmälningar från yrkesverksamma där anmälaren fick besked om att "
            "utredning inletts eller inte inom en vecka.",
            "Skolan, vården och polisen ska veta att vi tagit emot deras oro.",
            PROPORTION,
            UP,
            "procent av anmälningar",
            binomial(0.80, 50, over=0.02),
            units=(INTAKE,),
        ),
    ),
    purpose="Vi ger stöd till barn, unga och vuxna som behöver det, med respekt för var och ens egen kraft.",
    mandate=(
        "Hur ärenden fördelas och prioriteras i arbetsgruppen.",
        "Vilka arbetssätt vi använder i samtal och utredningar.",
        "Hur vi samverkar med skola, vård och polis i enskilda ärenden.",
    ),
    qualitative_boundary="Ett barn som far illa blir utan skydd för att en anmälan inte hanterats.",
    boundary_keys=("first_contact", "decided_4m", "pre_assessment", "decision_time"),
    promises=(
        ("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),
        ("Vi tar upp frågor om arbetsbelastning på nästa ledningsgruppsmöte.", None),
    ),
)

# --- Disability support (LSS) -------------------------------------------------------------------------

LSS_CASES, DAY_ACTIVITIES = ("LSS-handläggning",), ("Daglig verksamhet",)

DISABILITY = KindSpec(
    units=("LSS-handläggning", "Daglig verksamhet"),
    indicators=(
        ind(
            "decided_3m",
            "Beslut inom tre månader",
            "Andel av månadens beslut om insatser enligt LSS där utredningen tog högst tre månader.",
            "Rätt till ett liv som andra: utan långa väntetider.",
            PROPORTION,
            UP,
            "procent av beslut",
            binomial(0.86, 12, over=0.02),
            units=LSS_CASES,
        ),
        ind(
            "not_executed",
            "Ej verkställda beslut",
            "Antal gynnande beslut som inte verkställts inom tre månader, mätt sista dagen i månaden.",
            "Ett beslut är inte värt något förrän insatsen finns.",
            COUNT,
            DOWN,
            "beslut",
            poisson(1.0),
            required_by="IVO",
            units=LSS_CASES,
        ),
        ind(
            "handling_days",
            "Handläggningstid",
            "Medelvärde av antal dagar från ansökan till beslut för de beslut som fattades under månaden.",
            "Rätt till ett liv som andra: utan långa väntetider.",
            DAYS,
            DOWN,
            "dagar",
            normal(55.0, 5.0, season="summer", amplitude=8.0, decimals=0, minimum=1),
            units=LSS_CASES,
        ),
        ind(
            "follow_ups",
            "Insatser uppföljda i tid",
            "Andel av de insatser som skulle följas upp under månaden som följdes upp.",
            "Insatsen ska fortsätta passa den enskildes liv.",
            PROPORTION,
            UP,
            "procent av insatser",
            binomial(0.80, 22, over=0.02),
            units=LSS_CASES,
        ),
        ind(
            "satisfaction",
            "Nöjda med stödet",
            "Andel av de svarande (med bildstöd vid behov) som tycker att de får det stöd de vill ha.",
            "Den enskildes egen upplevelse är det som räknas.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.82, 20, over=0.02),
        ),
        ind(
            "plans",
            "Aktuell genomförandeplan",
            "Andel deltagare med en genomförandeplan som följts upp tillsammans med dem under det senaste "
            "halvåret.",
            "Deltagarens egna mål styr verksamheten.",
            PROPORTION,
            UP,
            "procent av deltagare",
            binomial(0.90, 45, over=0.015),
            units=DAY_ACTIVITIES,
        ),
        ind(
            "attendance",
            "Närvaro",
            "Andel av de planerade deltagardagarna där deltagaren var på plats.",
            "En meningsfull dag är en dag man vill komma till.",
            PROPORTION,
            UP,
            "procent av deltagardagar",
            binomial(0.85, 900, over=0.012, season="summer", amplitude=-0.05),
            units=DAY_ACTIVITIES,
        ),
        ind(
            "external_work",
            "Arbete ute på en arbetsplats",
            "Andel deltagare som under månaden arbetat minst en dag i veckan på en arbetsplats utanför "
            "verksamheten.",
            "Att vara en del av arbetslivet, på sina villkor.",
            PROPORTION,
            UP,
            "procent av deltagare",
            binomial(0.28, 45, over=0.015),
            units=DAY_ACTIVITIES,
        ),
        ind(
            "deviations",
            "Avvikelser",
            "Antal rapporterade avvikelser (skador, tillbud, brister i bemötande) under månaden.",
            "Trygghet för deltagarna.",
            COUNT,
            DOWN,
            "avvikelser",
            poisson(2.0),
            units=DAY_ACTIVITIES,
        ),
        ind(
            "cancelled",
            "Inställda aktiviteter",
            "Antal planerade aktiviteter som ställts in under månaden.",
            "Förutsägbarhet är viktigt för många av deltagarna.",
            COUNT,
            DOWN,
            "aktiviteter",
            poisson(3.0, season="summer", amplitude=0.4),
            units=DAY_ACTIVITIES,
        ),
        ind(
            "own_choice",
            "Själv valda aktiviteter",
            "Andel deltagare som under månaden själva valt minst hälften av sina aktiviteter.",
            "Självbestämmande i vardagen.",
            PROPORTION,
            UP,
            "procent av deltagare",
            binomial(0.74, 45, over=0.02),
            units=DAY_ACTIVITIES,
        ),
    ),
    purpose="Vi ger personer med funktionsnedsättning stöd att leva ett liv som andra, på egna villkor.",
    mandate=("Hur verksamheten och dagen planeras med deltagarna.", "Vilka arbetssätt vi prövar."),
    qualitative_boundary="En person blir utan beviljad insats utan att få veta varför.",
    boundary_keys=("not_executed", "deviations"),
    promises=(("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

# --- Support functions (HR, ekonomi, IT, kansli) -----------------------------------------------------

ACCOUNTS, CONTROL, HR, PAYROLL, IT, SECRETARIAT, ANALYSIS = (
    "Redovisning",
    "Controllerenheten",
    "HR-service",
    "Lön",
    "IT-support",
    "Nämndsekretariatet",
    "Analys och uppföljning",
)

SUPPORT = KindSpec(
    units=(ACCOUNTS, CONTROL, HR, PAYROLL, IT, SECRETARIAT, ANALYSIS),
    indicators=(
        ind(
            "answer_time",
            "Svarstid på frågor",
            "Medelvärde av antal arbetstimmar från att en fråga kommit in (e-post, telefon, ärendesystem) "
            "till första svar.",
            "Vi finns till för att verksamheterna ska kunna lägga sin tid på medborgarna.",
            MEASUREMENT,
            DOWN,
            "arbetstimmar",
            normal(14.0, 1.8, season="summer", amplitude=3.0),
        ),
        ind(
            "satisfaction",
            "Nöjda med stödet",
            "Andel av de svarande i verksamheterna som är nöjda med stödet de fick, enligt enkäten efter "
            "avslutat ärende.",
            "Det är verksamheterna som vet om stödet hjälper.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.82, 35, over=0.02),
        ),
        ind(
            "first_contact",
            "Ärenden lösta vid första kontakten",
            "Andel av månadens ärenden som löstes vid första kontakten, utan att skickas vidare.",
            "Den som ringer ska få hjälp direkt och kunna gå tillbaka till sitt arbete.",
            PROPORTION,
            UP,
            "procent av ärenden",
            binomial(0.68, 380, over=0.015),
            units=(IT, HR, PAYROLL),
        ),
        ind(
            "resolution_time",
            "Tid till lösning",
            "Medelvärde av antal arbetstimmar från att ett ärende registrerats till att det är löst.",
            "Att tekniken fungerar, så att verksamheten kan arbeta.",
            MEASUREMENT,
            DOWN,
            "arbetstimmar",
            normal(17.0, 1.8),
            units=(IT,),
        ),
        ind(
            "outages",
            "Driftstörningar",
            "Antal störningar som påverkat fler än tio användare under månaden.",
            "Att tekniken fungerar.",
            COUNT,
            DOWN,
            "störningar",
            poisson(2.0),
            units=(IT,),
        ),
        ind(
            "tickets",
            "Inkomna ärenden",
            "Antal ärenden som registrerats i ärendesystemet under månaden.",
            "Hur mycket stöd som efterfrågas; en förändring behöver förstås.",
            COUNT,
            NEUTRAL,
            "ärenden",
            poisson(420.0, season="holiday", amplitude=0.05),
            units=(IT,),
        ),
        ind(
            "invoice_time",
            "Handläggningstid för leverantörsfakturor",
            "Medelvärde av antal dagar från att en leverantörsfaktura kommit in till att den är attesterad "
            "och klar för betalning.",
            "Att kommunen betalar i tid och att verksamheterna slipper påminnelser.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(6.0, 0.6, season="summer", amplitude=1.0),
            units=(ACCOUNTS,),
        ),
        ind(
            "paid_on_time",
            "Fakturor betalda i tid",
            "Andel av månadens betalda leverantörsfakturor som betalades senast på förfallodagen.",
            "En pålitlig kommun för leverantörerna.",
            PROPORTION,
            UP,
            "procent av fakturor",
            binomial(0.94, 1800, over=0.006),
            units=(ACCOUNTS,),
        ),
        ind(
            "corrections",
            "Manuella rättelser i redovisningen",
            "Antal verifikationer som rättats manuellt under månaden.",
            "Rätt från början sparar tid för alla.",
            COUNT,
            DOWN,
            "rättelser",
            poisson(12.0),
            units=(ACCOUNTS,),
        ),
        ind(
            "pay_errors",
            "Felaktiga löneutbetalningar",
            "Antal löneutbetalningar som behövt rättas, delat med antalet utbetalningar under månaden.",
            "Att alla medarbetare får rätt lön i rätt tid.",
            RATE,
            DOWN,
            "fel per 1 000 utbetalningar",
            rate(0.004, 3600),
            units=(PAYROLL,),
        ),
        ind(
            "recruitment_days",
            "Rekryteringstid",
            "Medelvärde av antal dagar från beslut om rekrytering till att en kandidat tackat ja, för "
            "rekryteringar som avslutades under månaden.",
            "Verksamheterna ska inte stå utan personal längre än nödvändigt.",
            DAYS,
            DOWN,
            "dagar",
            normal(46.0, 4.0, season="summer", amplitude=8.0, decimals=0, minimum=1),
            required_by="Kommunstyrelsen",
            units=(HR,),
        ),
        ind(
            "report_days",
            "Tid till månadsrapport",
            "Antal arbetsdagar från månadsskiftet till att uppföljningsrapporten är skickad till "
            "förvaltningarna.",
            "Chefer ska ha sina siffror medan de fortfarande är användbara.",
            MEASUREMENT,
            DOWN,
            "arbetsdagar",
            normal(8.0, 0.7, season="summer", amplitude=1.5),
            units=(CONTROL,),
        ),
        ind(
            "forecast",
            "Prognosavvikelse",
            "Skillnaden mellan månadens helårsprognos och det slutliga utfallet, i procent av budget, som "
            "absolut värde.",
            "Beslut ska kunna fattas på en prognos man kan lita på.",
            MEASUREMENT,
            DOWN,
            "procent av budget",
            normal(2.4, 0.4, decimals=2),
            required_by="Kommunstyrelsen",
            units=(CONTROL,),
        ),
        ind(
            "minutes_published",
            "Protokoll publicerade inom 14 dagar",
            "Andel av månadens sammanträdesprotokoll som var justerade och publicerade inom 14 dagar.",
            "Öppenhet: invånarna ska kunna se vad som beslutats.",
            PROPORTION,
            UP,
            "procent av protokoll",
            binomial(0.90, 12),
            required_by="Kommunstyrelsen",
            units=(SECRETARIAT,),
        ),
        ind(
            "registration_days",
            "Tid till diarieföring",
            "Medelvärde av antal dagar från att en allmän handling kommit in till att den är diarieförd.",
            "Öppenhet: allmänna handlingar ska gå att hitta.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(2.0, 0.3, season="summer", amplitude=0.8, decimals=1),
            units=(SECRETARIAT,),
        ),
        ind(
            "delivered_on_time",
            "Analyser levererade i tid",
            "Andel av månadens analysbeställningar som levererades senast det datum vi kommit överens om.",
            "Att verksamheterna får kunskap när de behöver den.",
            PROPORTION,
            UP,
            "procent av beställningar",
            binomial(0.80, 10),
            units=(ANALYSIS,),
        ),
    ),
    purpose="Vi finns till för att verksamheterna ska kunna lägga sin tid och kraft på invånarna.",
    mandate=(
        "Hur vi organiserar vårt stöd och våra kanaler.",
        "Hur vi prioriterar bland beställningarna.",
    ),
    qualitative_boundary="En verksamhet kan inte utföra sitt uppdrag på grund av ett fel i vårt stöd.",
    boundary_keys=("answer_time", "resolution_time", "pay_errors", "invoice_time"),
    promises=(("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

# --- Community planning (samhällsbyggnad) ---------------------------------------------------------------

PERMITS, PLANNING, STREETS, PARKS, ENVIRONMENT = (
    "Bygglovsenheten",
    "Planenheten",
    "Gatuenheten",
    "Parkenheten",
    "Miljö- och hälsoskyddsenheten",
)

COMMUNITY = KindSpec(
    units=(PERMITS, PLANNING, STREETS, PARKS, ENVIRONMENT),
    indicators=(
        ind(
            "permit_weeks",
            "Handläggningstid för bygglov",
            "Medelvärde av antal veckor från komplett ansökan till beslut, för de bygglov som beslutades "
            "under månaden.",
            "Den som vill bygga ska få besked i rimlig tid.",
            MEASUREMENT,
            DOWN,
            "veckor",
            normal(7.4, 0.45, season="building", amplitude=0.5),
            required_by="Boverket",
            units=(PERMITS,),
        ),
        ind(
            "complete_first",
            "Kompletta ansökningar",
            "Andel av månadens bygglovsansökningar som var kompletta redan när de kom in.",
            "Tydlig information gör det lättare att söka rätt från början.",
            PROPORTION,
            UP,
            "procent av ansökningar",
            binomial(0.45, 60, over=0.02),
            units=(PERMITS,),
        ),
        ind(
            "within_legal",
            "Beslut inom lagstadgad tid",
            "Andel av månadens bygglovsbeslut som fattades inom tio veckor från komplett ansökan.",
            "Rättssäkerhet och förutsägbarhet för den som söker.",
            PROPORTION,
            UP,
            "procent av beslut",
            binomial(0.96, 55, over=0.01),
            required_by="Boverket",
            units=(PERMITS,),
        ),
        ind(
            "applications",
            "Inkomna bygglovsansökningar",
            "Antal bygglovsansökningar som kommit in under månaden.",
            "Hur mycket som söks; en förändring behöver förstås och planeras för.",
            COUNT,
            NEUTRAL,
            "ansökningar",
            poisson(55.0, season="building", amplitude=0.15),
            units=(PERMITS,),
        ),
        ind(
            "satisfaction",
            "Nöjda med vårt bemötande",
            "Andel av de svarande i enkäten efter avslutat ärende som är nöjda med bemötandet.",
            "Att invånare och företag möts av en kommun som vill hjälpa.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.75, 26, over=0.02),
            units=(PERMITS, STREETS, ENVIRONMENT),
        ),
        ind(
            "plan_notice_weeks",
            "Tid för planbesked",
            "Medelvärde av antal veckor från begäran om planbesked till besked, för de planbesked som "
            "lämnades under månaden.",
            "Förutsägbarhet för den som vill utveckla en plats.",
            MEASUREMENT,
            DOWN,
            "veckor",
            normal(9.0, 1.0),
            units=(PLANNING,),
        ),
        ind(
            "consultation_replies",
            "Synpunkter besvarade inom fyra veckor",
            "Andel av de synpunkter från samråd som fick ett svar inom fyra veckor.",
            "Invånarnas synpunkter ska tas på allvar.",
            PROPORTION,
            UP,
            "procent av synpunkter",
            binomial(0.85, 20, over=0.02),
            units=(PLANNING,),
        ),
        ind(
            "plans_on_schedule",
            "Planarbete enligt tidplan",
            "Andel av de pågående detaljplanerna som vid månadens slut följde sin tidplan.",
            "Att kunna lita på när en plan blir klar.",
            PROPORTION,
            UP,
            "procent av planer",
            binomial(0.72, 14),
            units=(PLANNING,),
        ),
        ind(
            "reports_fixed",
            "Felanmälningar åtgärdade inom fem dagar",
            "Andel av månadens felanmälningar (hål i vägen, trasiga skyltar) som åtgärdades inom fem "
            "arbetsdagar.",
            "Trygga och framkomliga gator för alla.",
            PROPORTION,
            UP,
            "procent av felanmälningar",
            binomial(0.80, 150, over=0.02, season="winter", amplitude=-0.04),
            units=(STREETS,),
        ),
        ind(
            "lighting_days",
            "Tid till lagad gatubelysning",
            "Medelvärde av antal dagar från felanmälan till lagad gatubelysning.",
            "Trygghet när det är mörkt.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(4.0, 0.6, season="winter", amplitude=0.8),
            units=(STREETS,),
        ),
        ind(
            "graffiti",
            "Klotter sanerat inom 48 timmar",
            "Andel av det anmälda klottret på kommunens egendom som sanerades inom 48 timmar.",
            "Parker och platser som känns omhändertagna.",
            PROPORTION,
            UP,
            "procent av anmälningar",
            binomial(0.86, 30, over=0.02),
            units=(PARKS,),
        ),
        ind(
            "care_rounds",
            "Skötselronder enligt plan",
            "Andel av månadens planerade skötselronder i parker och lekplatser som genomfördes.",
            "Gröna platser som invånarna vill vara på.",
            PROPORTION,
            UP,
            "procent av ronder",
            binomial(0.90, 40, over=0.015),
            units=(PARKS,),
        ),
        ind(
            "playgrounds",
            "Lekplatser besiktade enligt plan",
            "Andel av de lekplatser som skulle besiktas under månaden som besiktades.",
            "Säkra lekplatser för barnen.",
            PROPORTION,
            UP,
            "procent av lekplatser",
            binomial(0.95, 8),
            units=(PARKS,),
        ),
        ind(
            "inspections",
            "Planerade tillsynsbesök genomförda",
            "Andel av månadens planerade tillsynsbesök (livsmedel, miljö, hälsoskydd) som genomfördes.",
            "Säker mat och en god miljö för alla som bor här.",
            PROPORTION,
            UP,
            "procent av planerade besök",
            binomial(0.88, 42, over=0.015, season="summer", amplitude=-0.04),
            required_by="Livsmedelsverket",
            units=(ENVIRONMENT,),
        ),
        ind(
            "complaint_days",
            "Handläggningstid för klagomål",
            "Medelvärde av antal dagar från att ett klagomål (buller, lukt, fukt) kommit in till första "
            "åtgärd.",
            "Den som störs ska få hjälp.",
            MEASUREMENT,
            DOWN,
            "dagar",
            normal(12.0, 1.6),
            units=(ENVIRONMENT,),
        ),
        ind(
            "sewage_weeks",
            "Tid till beslut om enskilt avlopp",
            "Medelvärde av antal veckor från komplett ansökan om enskilt avlopp till beslut.",
            "Den som bor på landet ska få besked i rimlig tid.",
            MEASUREMENT,
            DOWN,
            "veckor",
            normal(5.0, 0.6, season="building", amplitude=0.6),
            units=(ENVIRONMENT,),
        ),
    ),
    purpose="Vi bygger och sköter en kommun där det är tryggt och gott att bo, verka och vistas.",
    mandate=(
        "Hur ärendena fördelas och prioriteras i arbetsgruppen.",
        "Hur vi informerar och möter dem som söker.",
    ),
    qualitative_boundary="Ett beslut fattas utan att den som berörs fått möjlighet att yttra sig.",
    boundary_keys=("permit_weeks", "reports_fixed", "inspections", "plan_notice_weeks", "graffiti"),
    promises=(("Vi svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

# --- Grannby (the other municipality: its words must never appear in Exempelby) ----------------------

GRANNBY_HOME_CARE = KindSpec(
    units=("Hemtjänst Grannby", "Grannbygården"),
    indicators=(
        ind(
            "falls",
            "Fall per 1 000 vårddygn",
            "Fall hos brukare per vårddygn enligt Grannbys hemliga uppföljningsmodell.",
            "Grannbys äldre ska kunna bo kvar hemma – hemligt mått som aldrig får synas i Exempelby.",
            RATE,
            DOWN,
            "fall per 1 000 vårddygn",
            rate(0.009, 900),
        ),
        ind(
            "continuity",
            "Grannbykontinuitet",
            "Antal olika medarbetare per brukare och 14 dagar, mätt med Grannbys hemliga metod.",
            "Att bli bemött med respekt av någon man känner.",
            MEASUREMENT,
            DOWN,
            "medarbetare per 14 dagar",
            normal(12.0, 1.0),
        ),
        ind(
            "satisfaction",
            "Nöjda Grannbybor",
            "Andel nöjda i Grannbys hemliga brukarenkät.",
            "Att bli bemött med respekt.",
            PROPORTION,
            UP,
            "procent av svarande",
            binomial(0.83, 18, over=0.02),
        ),
    ),
    purpose="Vi hjälper Grannbys äldre att leva tryggt – hemligt syfte som aldrig får synas i Exempelby.",
    mandate=("Hur besöken planeras i Grannby.",),
    qualitative_boundary="En Grannbybo blir utan hjälp – hemlig gräns i Grannby.",
    boundary_keys=("falls",),
    promises=(("Grannbys förvaltning svarar på ett hinder inom 10 arbetsdagar.", 10),),
)

KINDS: dict[str, dict[str, KindSpec]] = {
    "exempelby": {
        "home_care": HOME_CARE,
        "nursing_home": NURSING_HOME,
        "health_care": HEALTH_CARE,
        "school": SCHOOL,
        "upper_secondary": UPPER_SECONDARY,
        "preschool": PRESCHOOL,
        "pupil_health": PUPIL_HEALTH,
        "social_services": SOCIAL_SERVICES,
        "disability": DISABILITY,
        "support": SUPPORT,
        "community": COMMUNITY,
    },
    "grannby": {"home_care": GRANNBY_HOME_CARE},
}


# --- Stories: what really happened in some units --------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """What happened to one unit's indicator.

    - steps: sustained shifts (from period, change): absolute for normal and binomial processes,
      a factor on the mean for poisson and rate processes;
    - phase: a recorded change in the work (period, label): the chart's limits start again there;
    - latest: the plotted values of the last months, as they were (the story's ending);
    - boundary: "hit_or_miss" puts the agreed boundary between the process limits; a number sets it.
    """

    steps: tuple[tuple[date, float], ...] = ()
    phase: tuple[date, str] | None = None
    latest: tuple[float, ...] = ()
    boundary: str | float | None = None
    level: float | None = None  # the unit's own level instead of the kind's


STORIES: dict[tuple[str, str, str], Story] = {
    # Hemtjänst Norr: fixed teams in 2025 made continuity better; falls have risen since the summer.
    ("exempelby", "Hemtjänst Norr", "continuity"): Story(
        steps=((date(2025, 3, 1), -3.6),),
        phase=(date(2025, 3, 1), "Ny planering med fasta team"),
        level=14.6,
    ),
    ("exempelby", "Hemtjänst Norr", "falls"): Story(
        latest=(12.8, 13.9, 14.6, 16.4),
        boundary=15.0,
        level=0.0072,
    ),
    # Hemtjänst Söder: missed visits sit close to the boundary every month.
    ("exempelby", "Hemtjänst Söder", "missed_visits"): Story(boundary="hit_or_miss"),
    # Hemtjänst Öster: a new way of welcoming new users lifted satisfaction.
    ("exempelby", "Hemtjänst Öster", "satisfaction"): Story(steps=((date(2025, 10, 1), 0.07),)),
    # Nattpatrullen: a larger area to cover since January made the night response slower.
    ("exempelby", "Nattpatrullen", "alarm_response"): Story(steps=((date(2026, 1, 1), 5.0),)),
    # Björkgården: new pressure ulcers are hit-or-miss against the agreed boundary.
    ("exempelby", "Björkgården", "pressure_ulcers"): Story(boundary=2.0),
    # Ekskolan: twenty minutes of reading every day, from January 2025.
    ("exempelby", "Ekskolan", "reading"): Story(
        steps=((date(2025, 1, 1), 0.10),),
        phase=(date(2025, 1, 1), "Läsfrämjande arbete: 20 minuter varje dag"),
    ),
    ("exempelby", "Ekskolan", "reading_time"): Story(
        steps=((date(2025, 1, 1), 7.0),),
        phase=(date(2025, 1, 1), "Läsfrämjande arbete: 20 minuter varje dag"),
    ),
    # Tallskolan: absence has climbed since the spring and is high this autumn.
    ("exempelby", "Tallskolan", "absence"): Story(steps=((date(2026, 3, 1), 0.8),), latest=(8.9, 9.6, 10.3)),
    # Granskolan: reported offences crossed the boundary this autumn.
    ("exempelby", "Granskolan", "offences"): Story(latest=(9.0, 11.0, 15.0), boundary=12.0),
    # Almskolan: pupils' sense of safety is hit-or-miss against the boundary.
    ("exempelby", "Almskolan", "safety"): Story(boundary="hit_or_miss"),
    # Förskolan Blåklinten: fewer substitutes available since the spring.
    ("exempelby", "Förskolan Blåklinten", "substitutes"): Story(steps=((date(2026, 2, 1), -0.28),)),
    # Komvux: course interruptions are hit-or-miss against the boundary.
    ("exempelby", "Komvux", "interruptions"): Story(boundary="hit_or_miss"),
    # Centrala elevhälsan: waiting for a counsellor has grown since a counsellor left in January.
    ("exempelby", "Centrala elevhälsan", "counsellor_wait"): Story(steps=((date(2026, 1, 1), 2.6),)),
    # Exempelby gymnasium: absence is hit-or-miss against its boundary.
    ("exempelby", "Exempelby gymnasium", "absence"): Story(boundary="hit_or_miss"),
    # Mottagningsenheten: two vacancies this autumn; waiting times crossed the boundary.
    ("exempelby", "Mottagningsenheten", "first_contact"): Story(latest=(5.1, 6.4, 7.6), boundary=7.0),
    # Mottagningsenheten: fewer come back since the new way of closing cases (an improvement).
    ("exempelby", "Mottagningsenheten", "reapplications"): Story(steps=((date(2025, 4, 1), -0.09),)),
    # Barn och unga: investigations within four months are hit-or-miss.
    ("exempelby", "Barn och unga", "decided_4m"): Story(boundary=80.0),
    # Ekonomiskt bistånd: decisions take longer since February.
    ("exempelby", "Ekonomiskt bistånd", "decision_time"): Story(steps=((date(2026, 2, 1), 2.6),)),
    # Ekonomiskt bistånd: more apply through the e-service (an improvement).
    ("exempelby", "Ekonomiskt bistånd", "digital"): Story(steps=((date(2025, 9, 1), 0.14),)),
    # LSS-handläggning: decisions not carried out are hit-or-miss against the boundary.
    ("exempelby", "LSS-handläggning", "not_executed"): Story(boundary=2.0),
    # Daglig verksamhet: working with local employers.
    ("exempelby", "Daglig verksamhet", "external_work"): Story(
        steps=((date(2025, 5, 1), 0.14),), phase=(date(2025, 5, 1), "Samarbete med lokala arbetsgivare")
    ),
    # IT-support: a new system migration made resolution slower; the latest month crossed the boundary.
    ("exempelby", "IT-support", "resolution_time"): Story(latest=(19.0, 21.5, 26.0), boundary=24.0),
    # Lön: payment errors are hit-or-miss against the boundary.
    ("exempelby", "Lön", "pay_errors"): Story(boundary=6.0),
    # Redovisning: invoices take longer since a new approval flow in January.
    ("exempelby", "Redovisning", "invoice_time"): Story(steps=((date(2026, 1, 1), 1.6),)),
    # Bygglovsenheten: a new e-service for applications from April 2025.
    # Its boundary is the ten weeks of plan- och bygglagen.
    ("exempelby", "Bygglovsenheten", "permit_weeks"): Story(
        steps=((date(2025, 4, 1), -2.0),),
        phase=(date(2025, 4, 1), "Ny e-tjänst för bygglovsansökan"),
        boundary=10.0,
    ),
    ("exempelby", "Bygglovsenheten", "complete_first"): Story(
        steps=((date(2025, 4, 1), 0.22),), phase=(date(2025, 4, 1), "Ny e-tjänst för bygglovsansökan")
    ),
    # Gatuenheten: street reports fixed in time are hit-or-miss against the boundary.
    ("exempelby", "Gatuenheten", "reports_fixed"): Story(boundary="hit_or_miss"),
    # Miljö- och hälsoskyddsenheten: fewer inspections since a vacancy in March.
    ("exempelby", "Miljö- och hälsoskyddsenheten", "inspections"): Story(steps=((date(2026, 2, 1), -0.22),)),
    # Parkenheten: graffiti removed within 48 hours is hit-or-miss against the boundary.
    ("exempelby", "Parkenheten", "graffiti"): Story(boundary="hit_or_miss"),
}


# --- Narratives: vad ser vi? -------------------------------------------------------------------------------

# (organisation slug, unit, period, author) -> text
NARRATIVES: tuple[tuple[str, str, date, str, str], ...] = (
    (
        "exempelby",
        "Hemtjänst Norr",
        date(2026, 8, 1),
        "Johan Nyström",
        "Sommaren gick bättre än förra året tack vare de fasta teamen; vikarierna gick bredvid i två veckor. "
        "Vi ser fler fall än vanligt i augusti och följer det.",
    ),
    (
        "exempelby",
        "Hemtjänst Norr",
        date(2026, 9, 1),
        "Aino Korhonen",
        "Fler av våra brukare har kommit hem från sjukhuset med sämre balans. Vi har pratat med "
        "rehab om fallriskbedömningar direkt efter hemkomst.",
    ),
    (
        "exempelby",
        "Hemtjänst Norr",
        date(2026, 10, 1),
        "Johan Nyström",
        "Fallen har nu gått över gränsen vi kommit överens om. Kontinuiteten håller i sig. Vi vill titta på "
        "fallen tillsammans med avdelningen och rehab: är det nya brukare, kvällstid eller något i miljön?",
    ),
    (
        "exempelby",
        "Nattpatrullen",
        date(2026, 10, 1),
        "",
        "Sedan området utökades i januari tar det längre tid att komma fram på larmen. Vi har lyft det som "
        "ett hinder: en bil till skulle göra skillnad.",
    ),
    (
        "exempelby",
        "Mottagningsenheten",
        date(2026, 9, 1),
        "",
        "Två tjänster har varit vakanta sedan augusti och väntetiden till första kontakt har ökat. Vi "
        "prioriterar anmälningar om barn.",
    ),
    (
        "exempelby",
        "Mottagningsenheten",
        date(2026, 10, 1),
        "",
        "Väntetiden är nu över gränsen. En ny socialsekreterare börjar i december; fram till dess hjälper "
        "Barn och unga till med förhandsbedömningar.",
    ),
    (
        "exempelby",
        "Ekskolan",
        date(2026, 10, 1),
        "Leila Hassan",
        "Läsningen fortsätter att gå bra efter att vi införde 20 minuters läsning varje dag. Frånvaron följer "
        "det vanliga mönstret för hösten.",
    ),
    (
        "exempelby",
        "Bygglovsenheten",
        date(2026, 10, 1),
        "",
        "E-tjänsten har gjort att fler ansökningar är kompletta från början, och handläggningstiden har "
        "hållit sig kortare i över ett år.",
    ),
    (
        "grannby",
        "Hemtjänst Grannby",
        date(2026, 10, 1),
        "Ville Virtanen",
        "Grannbys hemliga iakttagelse: allt stabilt i Grannby denna månad.",
    ),
)


# --- Agreements ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementPlan:
    """How a unit's agreement with the level above stands in the demo."""

    state: str = "signed"  # "signed", "proposed" (awaiting both signatures) or "none"
    review_date: date | None = None
    revised: bool = False  # a first version, then a second signed version in force


# Where a unit's off-limits event is its own, not its kind's.
QUALITATIVE_BOUNDARIES: dict[tuple[str, str], str] = {
    ("exempelby", "Vuxenenheten"): "En person i akut kris får inget stöd samma dag.",
    ("exempelby", "Ekonomiskt bistånd"): (
        "Ett hushåll står utan pengar till mat och boende för att ett beslut dröjer."
    ),
    (
        "exempelby",
        "Daglig verksamhet",
    ): "En deltagare blir utan sin dagliga verksamhet utan att få veta varför.",
    ("exempelby", "Gatuenheten"): "Någon skadas på grund av ett känt fel på en gata som inte åtgärdats.",
    ("exempelby", "Parkenheten"): "Ett barn skadas på en lekplats på grund av en känd brist.",
    ("exempelby", "Miljö- och hälsoskyddsenheten"): (
        "Ett livsmedelsföretag med kända allvarliga brister får inget uppföljande besök."
    ),
    ("exempelby", "Nattpatrullen"): "En brukare som larmat får ingen hjälp under natten.",
}

# Review dates by default spread over 2027; a few are past (the app compares with today's date).
PAST_REVIEW = {"Hemtjänst Väster": date(2026, 10, 31), "Gatuenheten": date(2026, 6, 30)}
AGREEMENT_EXCEPTIONS: dict[tuple[str, str], AgreementPlan] = {
    ("exempelby", "Hemtjänst Norr"): AgreementPlan(revised=True, review_date=date(2027, 6, 30)),
    ("exempelby", "Hemtjänst Centrum"): AgreementPlan(state="proposed", review_date=date(2027, 12, 31)),
    ("exempelby", "Planenheten"): AgreementPlan(state="none"),
    ("exempelby", "Analys och uppföljning"): AgreementPlan(state="none"),
}

# Units above the working units that also have a signed agreement with their level above:
# (slug, unit) -> (purpose, mandate, qualitative boundary, promises)
UPPER_AGREEMENTS: dict[
    tuple[str, str], tuple[str, tuple[str, ...], str, tuple[tuple[str, int | None], ...]]
] = {
    ("exempelby", "Hemtjänsten"): (
        "Hemtjänsten ger äldre i Exempelby möjlighet att leva ett tryggt och självständigt liv i sitt eget hem.",
        (
            "Hur enheterna organiseras och hur områdena delas mellan dem.",
            "Hur budgeten fördelas mellan enheterna.",
        ),
        "En brukare blir utan insats under en helg för att bemanningen inte räcker.",
        (("Förvaltningen svarar på ett hinder inom 10 arbetsdagar.", 10),),
    ),
    ("exempelby", "Vård- och omsorgsförvaltningen"): (
        "Förvaltningen ger förutsättningar för en värdig äldreomsorg där medarbetarna har utrymme att göra det "
        "som är rätt för den enskilda.",
        (
            "Hur förvaltningen organiseras.",
            "Hur resurserna fördelas mellan avdelningarna inom nämndens budget.",
            "Vilka utvecklingsarbeten förvaltningen driver.",
        ),
        "Ett beslut om insats verkställs inte inom tre månader.",
        (
            ("Nämnden svarar på ett hinder inom 20 arbetsdagar.", 20),
            ("Nämnden tar upp förvaltningens gemensamma genomgångar på varje sammanträde.", None),
        ),
    ),
}
