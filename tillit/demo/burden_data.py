"""The reporting-burden register in the demo: what Hemtjänst Norr is asked to report and what it costs.

The story: Hemtjänst Norr spends 9 hours a month (108 a year) on reports. Two are never read — the
department's weekly occupancy report and the quarterly report to IVO — and one, the department's monthly
deviation report, repeats the administration's monthly report. A weekly sick-leave sheet for HR was
proposed for removal and HR answered "remove"; a proposal to IVO waits for its answer. Usage of the
others is backdated over the past year. Hemtjänst Söder, Ekskolan and Björkgården have smaller registers,
and a few "Vilka data behöver du?" questions have gone to the support functions.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from tillit.burden import services
from tillit.burden.enums import RemovalAnswer, ReportFrequency, RequesterKind, UsageKind
from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.clock import frozen_at
from tillit.core.clock import now as clock_now
from tillit.indicators.models import Indicator

NORR = "Hemtjänst Norr"
SYSTEM = Access.system()  # the demo loader writes as Tillit itself


def _unit(organisation, name: str) -> Unit:
    return Unit.objects.get(organisation=organisation, name=name)


def _manager(unit: Unit):
    membership = (
        Membership.objects.filter(unit=unit, ended_at__isnull=True, role__can_manage=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return membership.person if membership else None


def _writer(unit: Unit):
    membership = (
        Membership.objects.filter(unit=unit, ended_at__isnull=True, role__can_write=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return membership.person if membership else None


def _indicators(unit: Unit, *names: str) -> list[Indicator]:
    found = {i.name: i for i in Indicator.objects.filter(unit=unit, name__in=names)}
    return [found[name] for name in names]


def _requirement(unit, actor, *, indicators=(), reader_units=(), **data):
    values = {
        "description": "",
        "requester_unit": None,
        "requester": "",
        "legal_basis": "",
        "times_per_year": None,
        "readers": "",
        "starts_on": None,
        "ends_on": None,
    } | data
    return services.reporting_requirement_create(
        actor=actor, access=SYSTEM, unit=unit, indicators=indicators, reader_units=reader_units, **values
    )


def _weekday_back(today, weeks: int):
    """The Monday `weeks` weeks before this week's Monday: lead times then come out the same every run."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=weeks)


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def burden_load(*, organisation) -> None:
    now = clock_now()
    today = timezone.localdate(now)
    norr = _unit(organisation, NORR)
    johan = _manager(norr)
    administration = _unit(organisation, "Vård- och omsorgsförvaltningen")
    department = _unit(organisation, "Hemtjänsten")
    board = _unit(organisation, "Kommunstyrelsen")
    hr = _unit(organisation, "HR-service")
    analysis = _unit(organisation, "Analys och uppföljning")

    falls, missed, medication, continuity, satisfied, on_time, first_visit = _indicators(
        norr,
        "Fall per 1 000 vårddygn",
        "Missade besök",
        "Läkemedelsavvikelser",
        "Personalkontinuitet",
        "Nöjda brukare",
        "Besök inom överenskommen tid",
        "Tid från beslut till första besök",
    )
    monthly = _requirement(
        norr,
        johan,
        name="Månadsrapport till förvaltningen",
        description="Avvikelser, fall och missade besök med kommentarer, till förvaltningens ledningsgrupp.",
        requester_kind=RequesterKind.CHAIN_LEVEL,
        requester_unit=administration,
        frequency=ReportFrequency.MONTH,
        minutes_each=180,
        indicators=[missed, medication, falls],
        readers="Förvaltningens ledningsgrupp",
        reader_units=[administration],
    )
    duplicate = _requirement(
        norr,
        johan,
        name="Avvikelserapport till avdelningen",
        description="Samma avvikelser som i månadsrapporten, i avdelningens egen mall.",
        requester_kind=RequesterKind.CHAIN_LEVEL,
        requester_unit=department,
        frequency=ReportFrequency.MONTH,
        minutes_each=60,
        indicators=[missed, medication, falls],
        readers="Avdelningschefen",
    )
    _requirement(
        norr,
        johan,
        name="Veckorapport om beläggning och vakanser",
        description="Antal brukare, beviljade timmar och vakanta pass, i ett kalkylark varje måndag.",
        requester_kind=RequesterKind.CHAIN_LEVEL,
        requester_unit=department,
        frequency=ReportFrequency.WEEK,
        minutes_each=45,
        readers="Avdelningens planerare",
    )
    open_comparisons = _requirement(
        norr,
        johan,
        name="Öppna jämförelser – hemtjänst",
        description="Underlag till Socialstyrelsens enkät och öppna jämförelser för äldreomsorgen.",
        requester_kind=RequesterKind.STATE_AGENCY,
        requester="Socialstyrelsen",
        frequency=ReportFrequency.YEAR,
        minutes_each=360,
        indicators=[continuity, satisfied],
        readers="Socialstyrelsen, nämnden",
    )
    tertial = _requirement(
        norr,
        johan,
        name="Tertialrapport till kommunstyrelsen",
        description="Hemtjänstens del av kommunens tertialrapport: verksamhet, kvalitet och ekonomi.",
        requester_kind=RequesterKind.CHAIN_LEVEL,
        requester_unit=board,
        frequency=ReportFrequency.TERTIAL,
        minutes_each=240,
        indicators=[on_time, first_visit],
        readers="Kommunstyrelsen",
        reader_units=[board],
    )
    ivo = _requirement(
        norr,
        johan,
        name="Rapport om ej verkställda beslut",
        description="Beslut om insats som inte verkställts inom tre månader, till IVO och nämnden.",
        requester_kind=RequesterKind.REGULATOR,
        requester="IVO",
        legal_basis="16 kap. 6 f § socialtjänstlagen",
        frequency=ReportFrequency.QUARTER,
        minutes_each=45,
        readers="IVO",
    )
    sick_leave = _requirement(
        norr,
        johan,
        name="Sjukfrånvaro per vecka",
        description="Sjukfrånvaron i ett eget kalkylark till HR, fast den redan finns i lönesystemet.",
        requester_kind=RequesterKind.CHAIN_LEVEL,
        requester_unit=hr,
        frequency=ReportFrequency.WEEK,
        minutes_each=20,
    )

    # The weekly sick-leave sheet: proposed in the spring, HR answered that it can go.
    proposed = now - timedelta(days=200)
    with frozen_at(proposed):
        proposal = services.removal_propose(
            actor=johan,
            access=SYSTEM,
            requirement=sick_leave,
            reason="Sjukfrånvaron finns redan i lönesystemet; arket tar en timme i månaden och ingen har frågat om det.",
        )
    with frozen_at(proposed + timedelta(days=12)):
        services.removal_answer(
            actor=_manager(hr),
            access=SYSTEM,
            proposal=proposal,
            answer=RemovalAnswer.REMOVE,
            answer_text="Vi tar siffrorna direkt ur lönesystemet från och med nu. Tack för påpekandet!",
        )
    # The report to IVO: asked whether the quarterly summary can come from the case system instead.
    with frozen_at(now - timedelta(days=12)):
        services.removal_propose(
            actor=johan,
            access=SYSTEM,
            requirement=ivo,
            reason="Uppgifterna finns i verksamhetssystemet; kan IVO hämta dem därifrån i stället för en manuell rapport?",
            deadline=today + timedelta(days=18),
        )

    # A year of use of the reports that are read: charts, indicator pages and reports opened.
    readers = {
        norr.pk: [monthly, open_comparisons, tertial],
        department.pk: [monthly],
        administration.pk: [monthly, open_comparisons],
        board.pk: [tertial],
        analysis.pk: [tertial, open_comparisons],
    }
    for weeks_ago in range(1, 52, 2):
        with frozen_at(now - timedelta(weeks=weeks_ago)):
            for viewer, used in readers.items():
                ids = {indicator.pk for requirement in used for indicator in requirement.indicators.all()}
                services.usage_record(indicator_ids=ids, kind=UsageKind.CHART_VIEW, unit=viewer)
            services.usage_record(
                indicator_ids=[missed.pk], kind=UsageKind.INDICATOR_PAGE_VIEW, unit=administration
            )
    for months_ago in range(0, 12):
        with frozen_at(now - timedelta(days=30 * months_ago + 3)):
            services.usage_record(
                requirement_ids=[monthly.pk], kind=UsageKind.REPORT_OPENED, unit=administration
            )
            if months_ago % 4 == 0:
                services.usage_record(requirement_ids=[tertial.pk], kind=UsageKind.REPORT_OPENED, unit=board)
    del duplicate  # read through the same indicators as the monthly report: a duplicate, not unused

    _other_units(organisation, now=now)
    _data_requests(organisation, norr=norr, johan=johan, today=today)


def _other_units(organisation, *, now) -> None:
    administration = _unit(organisation, "Vård- och omsorgsförvaltningen")
    soder = _unit(organisation, "Hemtjänst Söder")
    manager = _manager(soder)
    missed, medication, falls, continuity, satisfied = _indicators(
        soder,
        "Missade besök",
        "Läkemedelsavvikelser",
        "Fall per 1 000 vårddygn",
        "Personalkontinuitet",
        "Nöjda brukare",
    )
    monthly = _requirement(
        soder,
        manager,
        name="Månadsrapport till förvaltningen",
        requester_kind=RequesterKind.CHAIN_LEVEL,
        requester_unit=administration,
        frequency=ReportFrequency.MONTH,
        minutes_each=150,
        indicators=[missed, medication, falls],
        readers="Förvaltningens ledningsgrupp",
    )
    comparisons = _requirement(
        soder,
        manager,
        name="Öppna jämförelser – hemtjänst",
        requester_kind=RequesterKind.STATE_AGENCY,
        requester="Socialstyrelsen",
        frequency=ReportFrequency.YEAR,
        minutes_each=360,
        indicators=[continuity, satisfied],
    )
    for weeks_ago in range(1, 52, 4):
        ids = [i.pk for r in (monthly, comparisons) for i in r.indicators.all()]
        with frozen_at(now - timedelta(weeks=weeks_ago)):
            services.usage_record(indicator_ids=ids, kind=UsageKind.CHART_VIEW, unit=soder)

    school = _unit(organisation, "Ekskolan")
    school_indicators = list(Indicator.objects.filter(unit=school).order_by("name")[:2])
    _requirement(
        school,
        _manager(school),
        name="Elevstatistik till Skolverket",
        requester_kind=RequesterKind.STATE_AGENCY,
        requester="Skolverket",
        legal_basis="Förordning (2001:100) om den officiella statistiken",
        frequency=ReportFrequency.HALF_YEAR,
        minutes_each=240,
    )
    _requirement(
        school,
        _manager(school),
        name="Kvalitetsrapport till nämnden",
        requester_kind=RequesterKind.OTHER,
        requester="Barn- och utbildningsnämnden",
        frequency=ReportFrequency.YEAR,
        minutes_each=900,
        indicators=school_indicators,
    )
    home = _unit(organisation, "Björkgården")
    _requirement(
        home,
        _manager(home),
        name="Punktprevalensmätning av trycksår och fall",
        requester_kind=RequesterKind.OTHER,
        requester="Senior alert",
        frequency=ReportFrequency.AD_HOC,
        times_per_year=2,
        minutes_each=300,
        indicators=list(Indicator.objects.filter(unit=home).order_by("name")[:1]),
    )


def _data_requests(organisation, *, norr, johan, today) -> None:
    analysis = _unit(organisation, "Analys och uppföljning")
    it = _unit(organisation, "IT-support")
    controllers = _unit(organisation, "Controllerenheten")
    soder = _unit(organisation, "Hemtjänst Söder")

    asked = _weekday_back(today, 6)  # a Monday
    with frozen_at(_at(asked, 9)):
        request = services.data_request_create(
            actor=johan,
            access=SYSTEM,
            unit=norr,
            to_unit=analysis,
            what="Antal besök per timme och dag, per arbetsgrupp",
            why="Vi vill lägga turerna så att samma personal kommer till samma brukare även på morgonen.",
        )
    with frozen_at(_at(asked + timedelta(days=4), 15)):  # Friday: 4 working days
        services.data_request_answer(
            actor=_writer(analysis),
            access=SYSTEM,
            request=request,
            answer="Ett utdrag ur planeringssystemet ligger nu som en egen rapport; den uppdateras varje natt.",
        )
    with frozen_at(_at(today - timedelta(days=5), 11)):
        services.data_request_create(
            actor=johan,
            access=SYSTEM,
            unit=norr,
            to_unit=it,
            what="Trygghetslarm som inte kvitterats inom tio minuter",
            why="Vi vill se om larmen som dröjer hänger ihop med vissa tider eller områden.",
        )
    asked = _weekday_back(today, 10)
    with frozen_at(_at(asked, 10)):
        request = services.data_request_create(
            actor=_manager(soder),
            access=SYSTEM,
            unit=soder,
            to_unit=controllers,
            what="Kostnad per beviljad timme, månad för månad",
            why="För att förstå vad bilbristen kostar när rutterna blir längre.",
        )
    with frozen_at(_at(asked + timedelta(days=9), 14)):  # Wednesday the week after: 7 working days
        services.data_request_answer(
            actor=_writer(controllers),
            access=SYSTEM,
            request=request,
            answer="Månadsvisa siffror för de senaste två åren finns i bifogat underlag hos controllern.",
        )
