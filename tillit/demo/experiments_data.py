"""The demo's experiments (försök) and learning archive.

Some experiments sit on the demo's real shifts (tillit.demo.followup_catalogue STORIES: fixed teams in
Hemtjänst Norr, daily reading at Ekskolan, the building-permit e-service, ...), so their charts show a
visible before and after; others were tried on steady processes and show no signal, which the archive
says just as plainly. Written through the services, then analysed once, then studied.
"""

from dataclasses import dataclass
from datetime import date

from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.tasks import deferred
from tillit.experiments import services
from tillit.experiments.models import Experiment
from tillit.followup.tasks import followup_refresh
from tillit.indicators.models import Indicator

SYSTEM = Access.system()  # the demo loader writes as Tillit itself


@dataclass(frozen=True)
class Plan:
    key: str
    unit: str
    indicators: tuple[str, ...]
    start: date
    study: date
    title: str
    problem: str
    change: str
    hypothesis: str
    notes: str = ""  # empty: still running
    decision: str = ""
    learning: str = ""
    shared: bool = False
    previous: str = ""


PLANS: dict[str, tuple[Plan, ...]] = {
    "exempelby": (
        Plan(
            "norr_teams",
            "Hemtjänst Norr",
            ("Personalkontinuitet",),
            date(2025, 3, 1),
            date(2025, 11, 1),
            "Fasta team i planeringen",
            "Brukarna träffade i snitt 15 olika medarbetare på två veckor och sa att de fick förklara sig om och om igen.",
            "Vi delar gruppen i tre fasta team med var sitt område och planerar varje brukare inom sitt team.",
            "Personalkontinuiteten blir bättre: färre olika medarbetare per brukare, ungefär tre färre inom ett halvår.",
            "Antalet olika medarbetare sjönk från ungefär 15 till 11 och har legat kvar där. Brukarna känner igen personalen.",
            "adopt",
            "Fasta team ger bättre kontinuitet om teamen också täcker upp för varandra vid frånvaro. "
            "Det viktiga var att schemaläggaren satt med teamen, inte att vi bytte system.",
        ),
        Plan(
            "ekskolan_reading",
            "Ekskolan",
            ("Läsutveckling enligt plan", "Lästid per dag"),
            date(2025, 1, 1),
            date(2025, 10, 1),
            "Tjugo minuters läsning varje dag",
            "För många elever i årskurs 3–5 låg efter i läsutvecklingen och läste nästan inget utanför skolan.",
            "Alla klasser läser tjugo minuter varje morgon; skolbiblioteket väljer böcker tillsammans med eleverna.",
            "Fler elever följer sin plan för läsutveckling, och lästiden per dag ökar.",
            "Lästiden ökade med ungefär sju minuter om dagen och andelen elever med läsutveckling enligt plan steg.",
            "adopt",
            "Daglig läsning på fast tid fungerar när biblioteket är med och eleverna själva väljer böcker. "
            "Lärarna tyckte att morgonen var bästa tiden: lugnet höll i sig första lektionen.",
        ),
        Plan(
            "daglig_employers",
            "Daglig verksamhet",
            ("Arbete ute på en arbetsplats",),
            date(2025, 5, 1),
            date(2026, 1, 1),
            "Samarbete med lokala arbetsgivare",
            "Många deltagare ville arbeta ute på en riktig arbetsplats men vi hade få platser.",
            "En handledare arbetar halvtid med att hitta och följa upp platser hos lokala företag.",
            "Fler deltagare arbetar ute på en arbetsplats.",
            "Andelen som arbetar ute ökade tydligt efter ett par månader och har hållit i sig.",
            "adopt",
            "Det som gjorde skillnaden var en person som arbetsgivarna kan ringa. Platserna blev fler när uppföljningen blev tät.",
        ),
        Plan(
            "bygglov_eservice",
            "Bygglovsenheten",
            ("Handläggningstid för bygglov", "Kompletta ansökningar"),
            date(2025, 4, 1),
            date(2025, 12, 1),
            "E-tjänst med checklista för bygglov",
            "Hälften av ansökningarna kom in ofullständiga, och kompletteringarna drog ut handläggningen.",
            "En ny e-tjänst som ställer frågorna i tur och ordning och visar vilka ritningar som behövs.",
            "Fler ansökningar är kompletta från början och handläggningstiden blir kortare.",
            "Andelen kompletta ansökningar steg kraftigt och handläggningstiden sjönk med ungefär två veckor.",
            "adopt",
            "En checklista i e-tjänsten sparar mer tid än snabbare handläggning. Sökande uppskattade att se vad som saknades.",
        ),
        Plan(
            "oster_welcome",
            "Hemtjänst Öster",
            ("Nöjda brukare",),
            date(2025, 10, 1),
            date(2026, 6, 1),
            "Välkomstsamtal för nya brukare",
            "Nya brukare visste inte vad de kunde förvänta sig och var mindre nöjda än de som haft hjälp länge.",
            "Kontaktpersonen gör ett välkomstsamtal första veckan: vilka kommer, när, och hur man säger till om något.",
            "Fler brukare blir nöjda, särskilt bland de nya.",
            "Andelen nöjda brukare steg från ungefär 89 till 93 procent. Diagrammet visar ännu ingen säker signal, så vi följer vidare.",
            "adopt",
            "Ett samtal i början förebygger många synpunkter senare. Det tar en halvtimme och behöver stå i planeringen.",
        ),
        Plan(
            "mottagning_feedback",
            "Mottagningsenheten",
            ("Återkoppling till anmälare inom en vecka",),
            date(2024, 11, 1),
            date(2025, 7, 1),
            "Återkoppling till anmälare via skolans kontaktperson",
            "Skolor som gjort en orosanmälan visste inte om vi tagit emot den och ringde flera gånger.",
            "Varje skola har en kontaktperson hos oss som återkopplar inom en vecka.",
            "Fler anmälare får återkoppling inom en vecka.",
            "Återkopplingen varierade som tidigare; kontaktpersonerna hann inte när inflödet var stort.",
            "adapt",
            "Återkopplingen behöver vara en del av mottagningen av anmälan, inte en uppgift för en särskild person.",
        ),
        Plan(
            "bistand_eservice",
            "Ekonomiskt bistånd",
            ("Ansökningar via e-tjänst",),
            date(2025, 9, 1),
            date(2026, 5, 1),
            "Hjälp med e-tjänsten i receptionen",
            "De flesta ansökte fortfarande på papper, vilket tog tid för både den sökande och oss.",
            "En handläggare sitter i receptionen två förmiddagar i veckan och hjälper den som vill ansöka digitalt.",
            "Fler ansöker via e-tjänsten.",
            "Andelen ansökningar via e-tjänst ökade och har hållit i sig även när vi slutade sitta i receptionen på fredagar.",
            "adopt",
            "Det räckte att visa e-tjänsten en gång. De som fått hjälp ansöker själva nästa månad.",
        ),
        Plan(
            "soder_falls",
            "Hemtjänst Söder",
            ("Fall per 1 000 vårddygn",),
            date(2024, 9, 1),
            date(2025, 5, 1),
            "Fallriskbedömning vid första besöket",
            "Flera brukare föll hemma under de första månaderna med hemtjänst.",
            "Vid första besöket gör vi en enkel fallriskbedömning och ser över mattor, belysning och skor.",
            "Färre fall per 1 000 vårddygn.",
            "Fallen varierade som förut; vi ser ingen signal på diagrammet. Bedömningarna blev inte alltid av.",
            "adapt",
            "En bedömning som ska göras av alla blir inte gjord när första besöket redan är fullt. Vi behöver rehab med.",
        ),
        Plan(
            "soder_falls_2",
            "Hemtjänst Söder",
            ("Fall per 1 000 vårddygn",),
            date(2025, 9, 1),
            date(2026, 5, 1),
            "Fallriskbedömning, andra cykeln: med arbetsterapeut",
            "Fallriskbedömningen vid första besöket blev inte av tillräckligt ofta.",
            "Arbetsterapeuten följer med på första besöket hos brukare över 80 år.",
            "Färre fall per 1 000 vårddygn.",
            "Bedömningarna blev av, men fallen ligger kvar på samma nivå som innan.",
            "abandon",
            "Fallen hos oss hänger mer ihop med nattliga toalettbesök än med hemmiljön. Vi går vidare med nattpatrullen i stället.",
            previous="soder_falls",
        ),
        Plan(
            "vaster_keys",
            "Hemtjänst Väster",
            ("Missade besök",),
            date(2024, 10, 1),
            date(2025, 6, 1),
            "Digitala nycklar",
            "Besök missades när nyckeln inte fanns i skåpet.",
            "Digitala lås hos alla brukare som vill.",
            "Färre missade besök.",
            "Ingen skillnad i missade besök; de flesta missar berodde på planeringen, inte på nycklarna.",
            "abandon",
            "Fråga först vad missarna beror på. Nycklarna var ett problem för personalen men inte orsaken till missade besök.",
        ),
        Plan(
            "vaster_time",
            "Hemtjänst Väster",
            ("Tid hos brukare",),
            date(2025, 2, 1),
            date(2025, 10, 1),
            "Planering med restid efter karta",
            "Restiderna i planeringen var schabloner och åt upp tiden hos brukarna.",
            "Planeringen räknar restid efter verklig väg och samlar besöken geografiskt.",
            "Mer tid hos brukarna.",
            "Tiden hos brukarna blev inte längre; en månad under en sjukdomsvåg låg till och med under de tidigare gränserna. Personalen upplever ändå mindre stress.",
            "adopt",
            "Även utan en förbättring på diagrammet var personalens erfarenhet tydlig: planeringen blev lugnare. Vi behåller den och följer tiden hos brukarna vidare.",
        ),
        Plan(
            "bjork_outdoors",
            "Björkgården",
            ("Utevistelse varje vecka",),
            date(2024, 11, 1),
            date(2025, 7, 1),
            "Utevistelse inlagd i schemat",
            "Utevistelse blev av bara när det fanns tid över.",
            "Varje boende har en fast tid för utevistelse i veckan, inlagd i schemat.",
            "Fler boende kommer ut varje vecka.",
            "Det blev fler utevistelser under sommaren men inte under vintern.",
            "adapt",
            "En fast tid hjälper, men på vintern behövs kläder och hjälpmedel förberedda. Nästa cykel gäller vintern.",
        ),
        Plan(
            "bjork_meals",
            "Björkgården",
            ("Måltider med personal vid bordet",),
            date(2025, 3, 1),
            date(2025, 11, 1),
            "Personal äter med de boende",
            "Måltiderna var stressiga och många boende åt lite.",
            "En i personalen sitter med vid varje bord och äter en pedagogisk måltid.",
            "Fler måltider med personal vid bordet.",
            "Diagrammet visar ingen tydlig förändring än, men personalen och de boende beskriver lugnare måltider.",
            "adopt",
            "Det går om måltiden planeras som arbetstid. De boende äter mer när någon äter med dem.",
        ),
        Plan(
            "alm_phones",
            "Almskolan",
            ("Studiero",),
            date(2024, 11, 1),
            date(2025, 6, 1),
            "Mobilfria lektioner",
            "Eleverna beskrev att det var svårt att koncentrera sig på lektionerna.",
            "Mobilerna samlas in vid lektionens början i alla klasser i årskurs 7–9.",
            "Fler elever upplever studiero.",
            "Studieron varierade som tidigare; insamlingen gjordes olika i olika klasser.",
            "adapt",
            "En regel som inte följs lika överallt säger inget. Nästa gång bestämmer vi tillsammans med eleverna hur det ska gå till.",
        ),
        Plan(
            "tall_pool",
            "Tallskolan",
            ("Inställda lektioner",),
            date(2024, 10, 1),
            date(2025, 5, 1),
            "Egen vikariepool",
            "Lektioner ställdes in när ingen vikarie gick att få.",
            "Tre vikarier anställs på skolan i stället för att ringas in.",
            "Färre inställda lektioner.",
            "Inga tydliga förändringar; vikarierna gick ofta in i andra uppgifter.",
            "abandon",
            "En vikariepool hjälper bara om den skyddas för vikariat. Vi samarbetar hellre med Ekskolan om en gemensam pool.",
        ),
        Plan(
            "solrosen_reading",
            "Förskolan Solrosen",
            ("Högläsning per vecka",),
            date(2024, 10, 1),
            date(2025, 5, 1),
            "Läsvila efter lunch",
            "Högläsningen blev av sällan och oregelbundet.",
            "Varje avdelning har läsvila efter lunch med böcker som barnen väljer.",
            "Mer högläsning varje vecka.",
            "Diagrammet visar ingen signal: högläsningen var redan vanlig. Vårdnadshavarna har frågat efter boklistorna.",
            "adopt",
            "Läsvila efter lunch är lätt att hålla fast vid. Barnen påminner själva.",
        ),
        Plan(
            "vuxen_sip",
            "Vuxenenheten",
            ("SIP inom fyra veckor",),
            date(2024, 11, 1),
            date(2025, 7, 1),
            "Fasta tider för SIP med regionen",
            "Samordnade individuella planer drog ut på tiden för att det var svårt att hitta tider.",
            "Varannan tisdag är bokad för SIP-möten med psykiatrin och vårdcentralen.",
            "Fler SIP inom fyra veckor.",
            "Färre SIP hölls i tid än tidigare: vårdcentralen kunde sällan på tisdagar, och då sköts mötet.",
            "adapt",
            "Fasta tider fungerar med psykiatrin. Med vårdcentralerna behöver vi digitala möten.",
        ),
        Plan(
            "hr_templates",
            "HR-service",
            ("Rekryteringstid",),
            date(2024, 10, 1),
            date(2025, 6, 1),
            "Färdiga annonsmallar",
            "Chefer väntade länge på att annonserna skulle bli klara.",
            "Mallar för de tjugo vanligaste tjänsterna som chefen fyller i själv.",
            "Kortare rekryteringstid.",
            "Rekryteringstiden varierade som förut; chefer använde mallarna men väntan låg i intervjuerna.",
            "abandon",
            "Annonsen var inte flaskhalsen. Titta på hela flödet innan ni ändrar en del av det.",
        ),
        Plan(
            "lon_support",
            "Lön",
            ("Ärenden lösta vid första kontakten",),
            date(2024, 11, 1),
            date(2025, 7, 1),
            "En väg in för lönefrågor",
            "Frågor om lön skickades runt mellan lön, HR och chefer.",
            "All lönesupport går via ett nummer och ett formulär, med en lönespecialist som svarar.",
            "Fler ärenden löses vid första kontakten.",
            "Fler löstes direkt under hösten, men under semesterperioden föll det tillbaka.",
            "adapt",
            "En väg in fungerar när den är bemannad. Vi behöver en ersättare under semestrarna.",
        ),
        Plan(
            "it_chat",
            "IT-support",
            ("Svarstid på frågor",),
            date(2024, 9, 1),
            date(2025, 4, 1),
            "Chatt i stället för telefon",
            "Det var långa köer i telefon.",
            "Supporten svarar i en chatt under kontorstid.",
            "Kortare svarstid.",
            "Svarstiden blev inte kortare; många chattade och ringde samtidigt.",
            "abandon",
            "Ytterligare en kanal gav mer arbete. Vi satsar på självhjälp för lösenord som var de flesta ärendena.",
        ),
        # Still running: started this autumn, studied next year.
        Plan(
            "norr_talks",
            "Hemtjänst Norr",
            ("Besök med tid för samtal",),
            date(2026, 8, 1),
            date(2027, 2, 1),
            "Tio minuter för samtal",
            "Brukarna säger att personalen alltid har bråttom.",
            "Vid ett besök per dag och brukare planerar vi tio minuter bara för samtal.",
            "Fler besök med tid för samtal, och på sikt färre synpunkter om stress.",
        ),
        Plan(
            "ekskolan_replies",
            "Ekskolan",
            ("Svarstid till vårdnadshavare",),
            date(2026, 9, 1),
            date(2027, 3, 1),
            "Svar till vårdnadshavare inom ett dygn",
            "Vårdnadshavare väntade ofta flera dagar på svar från skolan.",
            "Varje arbetslag har en fast tid varje dag för att svara på meddelanden.",
            "Kortare svarstid till vårdnadshavare.",
        ),
    ),
    "grannby": (
        Plan(
            "grannby_teams",
            "Hemtjänst Grannby",
            ("Grannbykontinuitet",),
            date(2024, 10, 1),
            date(2025, 6, 1),
            "Små team kring varje brukare",
            "Brukarna mötte många olika ansikten och kontinuiteten var låg.",
            "Varje brukare har ett litet team på fyra medarbetare som gör nästan alla besök.",
            "Bättre kontinuitet: färre olika medarbetare per brukare.",
            "Kontinuiteten blev bättre i två av tre områden, men inte så att diagrammet visar en signal för hela gruppen.",
            "adopt",
            "Små team ger kontinuitet om planeringen skyddar dem. Vi delar gärna hur vi gjorde.",
            shared=True,
        ),
        Plan(
            "grannby_falls",
            "Grannbygården",
            ("Fall per 1 000 vårddygn",),
            date(2024, 11, 1),
            date(2025, 7, 1),
            "Rörelsesensorer nattetid",
            "Flera boende föll på natten.",
            "Sensorer som larmar när en boende med hög fallrisk går upp.",
            "Färre fall.",
            "Ingen tydlig skillnad; larmen kom ofta för sent.",
            "abandon",
            "Sensorer ersätter inte en tillsyn vid rätt tid.",
        ),
    ),
}

# (experiment key, invited units, comments: (author's unit, text))
PEERS: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "norr_teams": (
        ("Hemtjänst Söder", "Hemtjänst Öster"),
        (
            (
                "Hemtjänst Söder",
                "Hur gjorde ni när någon i teamet var sjuk? Det är där vi brukar tappa kontinuiteten.",
            ),
            (
                "Hemtjänst Norr",
                "Teamen täcker upp för varandra först, och först därefter ringer vi in vikarie.",
            ),
        ),
    ),
    "soder_falls": (
        ("Hemtjänst Norr",),
        (
            (
                "Hemtjänst Norr",
                "Vi ser samma sak hos oss. Vill ni att vår arbetsterapeut följer med ett par besök?",
            ),
        ),
    ),
    "norr_talks": (
        ("Hemtjänst Väster",),
        (("Hemtjänst Väster", "Spännande! Vi följer gärna hur det går och provar själva i vår."),),
    ),
}


def _manager(unit):
    membership = (
        Membership.objects.filter(unit=unit, ended_at__isnull=True, role__can_manage=True)
        .select_related("person")
        .order_by("pk")
        .first()
    ) or Membership.objects.filter(unit=unit, ended_at__isnull=True).select_related("person").order_by(
        "pk"
    ).first()
    return membership.person if membership else None


def experiments_load(*, organisation) -> list[Experiment]:
    """Write one organisation's experiments, analyse their charts once, then study the finished ones."""
    plans = PLANS.get(organisation.slug, ())
    units = {unit.name: unit for unit in Unit.objects.filter(organisation=organisation)}
    made: dict[str, Experiment] = {}
    with deferred():
        for plan in plans:
            unit = units[plan.unit]
            indicators = list(Indicator.objects.filter(unit=unit, name__in=plan.indicators))
            made[plan.key] = services.experiment_create(
                actor=_manager(unit),
                access=SYSTEM,
                unit=unit,
                previous=made.get(plan.previous),
                title=plan.title,
                problem=plan.problem,
                change=plan.change,
                hypothesis=plan.hypothesis,
                indicators=indicators,
                start_on=plan.start,
                study_on=plan.study,
            )
    followup_refresh(organisation_id=organisation.pk)
    for plan in plans:
        if plan.notes:
            made[plan.key] = services.experiment_study(
                actor=_manager(units[plan.unit]),
                access=SYSTEM,
                experiment=made[plan.key],
                study_notes=plan.notes,
                decision=plan.decision,
                learning=plan.learning,
                shared_beyond_organisation=plan.shared,
            )
    for key, (invited, comments) in PEERS.items():
        if key not in made:
            continue
        experiment = made[key]
        services.experiment_peers_invite(
            actor=_manager(experiment.unit),
            access=SYSTEM,
            experiment=experiment,
            units=[units[n] for n in invited],
        )
        for unit_name, text in comments:
            services.experiment_comment(
                actor=_manager(units[unit_name]), access=SYSTEM, experiment=experiment, text=text
            )
    return list(made.values())
