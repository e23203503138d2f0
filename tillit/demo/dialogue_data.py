"""Joint looks in the demo: the looks follow-up opened, some talked through and closed, two from earlier
in the year on the charts, and the home-care group's falls left open for the demo's own walk-through."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tillit.chain.access import Access
from tillit.chain.models import Membership
from tillit.core.clock import frozen_at
from tillit.dialogue import services
from tillit.dialogue.enums import LookState, Outcome
from tillit.dialogue.models import JointLook
from tillit.indicators.models import Indicator

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# (unit, indicator, closed on, outcome, [(prompt, note), ...], summary)
CLOSED = [
    (
        "Hemtjänst Söder",
        "Missade besök",
        date(2026, 11, 10),
        Outcome.OBSTACLE,
        [
            ("what_happened", "Två bilar har stått på verkstad i oktober och rutterna blev för långa."),
            ("what_you_need", "En tredje bil till kvällspassen, eller att vi får hyra vid behov."),
        ],
        "Missade besök hänger ihop med bilbristen. Enheten lyfter ett hinder om bilar till kvällspassen.",
    ),
    (
        "Nattpatrullen",
        "Tid till åtgärd vid trygghetslarm",
        date(2026, 11, 12),
        Outcome.EXPERIMENT,
        [
            ("what_happened", "Fler larm samtidigt efter att två brukare fått nya larm med falsklarm."),
            ("what_we_learn", "Vi prövar att dela natten i två zoner med var sin bil under december."),
        ],
        "Försök med två zoner under natten i december; vi följer åtgärdstiden i samma diagram.",
    ),
    (
        "Björkgården",
        "Nya trycksår",
        date(2026, 11, 9),
        Outcome.REVISE_AGREEMENT,
        [
            (
                "what_we_see",
                "Gränsen ligger mitt i den vanliga variationen: vi träffar den ibland, ibland inte.",
            ),
            ("what_you_need", "Tid för sjuksköterskan att gå igenom riskbedömningar med kvällspersonalen."),
        ],
        "Gränsen och stödet hänger inte ihop. Överenskommelsen ses över vid nästa revision i januari.",
    ),
    (
        "IT-support",
        "Tid till lösning",
        date(2026, 11, 6),
        Outcome.UNDERSTOOD,
        [("what_happened", "Byte av e-postsystem i oktober gav många ärenden på en gång.")],
        "Förklarat av e-postbytet. Ingen åtgärd; vi ser om tiden går tillbaka i november.",
    ),
    (
        "Granskolan",
        "Anmälda kränkningar",
        date(2026, 11, 11),
        Outcome.SERIOUS,
        [("what_happened", "En händelse i årskurs 8 med flera inblandade.")],
        "Hanteras enligt skollagens regler om kränkande behandling, utanför Tillit.",
    ),
    (
        "Tallskolan",
        "Frånvaro",
        date(2026, 11, 5),
        Outcome.UNDERSTOOD,
        [("what_happened", "Influensan kom tidigt i år; frånvaron var hög i hela kommunen.")],
        "Influensa. Ingen åtgärd.",
    ),
]

# Looks from earlier in the year, talked through and closed: their summaries sit on the charts.
EARLIER = [
    (
        "Hemtjänst Norr",
        "Fall per 1 000 vårddygn",
        date(2026, 3, 1),
        date(2026, 4, 8),
        Outcome.UNDERSTOOD,
        "Fler fall i mars när larmleverantören byttes; larmen är åtgärdade.",
    ),
    (
        "Hemtjänst Söder",
        "Missade besök",
        date(2025, 12, 1),
        date(2026, 1, 14),
        Outcome.EXPERIMENT,
        "Julens vikarier kände inte rutterna. Försök med rutt-kort till vikarier.",
    ),
]


def _at(day: date, hour: int = 14) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=STOCKHOLM)


def _manager(unit):
    membership = (
        Membership.objects.filter(unit=unit, ended_at__isnull=True, role__can_manage=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return membership.person if membership else None


def dialogue_load(*, organisation) -> dict:
    """Talk through and close some of the looks follow-up opened; add two closed looks from earlier."""
    looks = {
        (look.unit.name, look.subject): look
        for look in JointLook.objects.filter(organisation=organisation, state=LookState.OPEN).select_related(
            "unit", "upper_unit"
        )
    }
    system = Access.system(organisation.pk)
    closed = 0
    for unit_name, subject, closed_on, outcome, notes, summary in CLOSED:
        look = looks.get((unit_name, subject))
        if look is None:
            continue
        unit_manager, upper_manager = _manager(look.unit), _manager(look.upper_unit)
        for offset, (prompt, text) in enumerate(notes):
            with frozen_at(_at(closed_on - timedelta(days=3 - offset))):
                services.joint_look_note_add(
                    actor=unit_manager if offset % 2 == 0 else upper_manager,
                    access=system,
                    look=look,
                    prompt=prompt,
                    text=text,
                )
        with frozen_at(_at(closed_on)):
            services.joint_look_close(
                actor=upper_manager, access=system, look=look, outcome=outcome, summary=summary
            )
        closed += 1

    for unit_name, indicator_name, period, closed_on, outcome, summary in EARLIER:
        indicator = Indicator.objects.get(
            organisation=organisation, unit__name=unit_name, name=indicator_name
        )
        unit_manager, upper_manager = _manager(indicator.unit), _manager(indicator.unit.parent)
        with frozen_at(_at(closed_on - timedelta(days=20))):
            look = services.joint_look_open(
                actor=unit_manager,
                access=system,
                unit=indicator.unit,
                subject=indicator_name,
                indicator=indicator,
                period=period,
            )
        with frozen_at(_at(closed_on)):
            services.joint_look_close(
                actor=upper_manager, access=system, look=look, outcome=outcome, summary=summary
            )
        closed += 1

    # The home-care group's falls crossed their boundary in October: open, with the first question asked.
    falls = looks.get(("Hemtjänst Norr", "Fall per 1 000 vårddygn"))
    if falls is not None:
        with frozen_at(_at(date(2026, 11, 4), 9)):
            services.joint_look_note_add(
                actor=_manager(falls.unit),
                access=system,
                look=falls,
                prompt="what_happened",
                text="Två brukare med ny demensdiagnos föll flera gånger i oktober, båda kvällstid.",
            )
    return {
        "closed": closed,
        "open": JointLook.objects.filter(organisation=organisation, state=LookState.OPEN).count(),
    }
