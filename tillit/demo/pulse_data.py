"""Tillitspuls in the demo: three quarterly rounds for vård och omsorg, and one round open now.

Vård- och omsorgsförvaltningen asks its default instrument every quarter. The first two rounds are routine:
people trust their nearest managers and their work groups, and the förvaltning's management less. Over the
summer the förvaltning started to remove the obstacles its units raise faster (see obstacles_data), and in
the third round the answers about the level above (`above_*`) and about the support the units get
(`principle_support`) rise clearly; everything else stays where it was.

Everything is written through the services, at realistic moments, under `frozen_at`: the draft a week
before, the opening, the invitations (the worker's step, with `deliver=` instead of e-mail: the codes reach
the demo's invented people and nobody else), the answers, one reminder, the close the day after the last
day, and Hemtjänst Norr sharing its results upward. The rounds' dates count back from the day the demo is
loaded. Who answers is planned per unit, so that small units stay below k (they are suppressed) and one
round shows the residual rule: in the second round the förvaltning's own people and Biståndsenheten answer
too few to stand beside Särskilt boende and Hälso- och sjukvård, so one of those two is suppressed although
it had five answers. The answers are drawn from one seeded generator: the same demo every time.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from tillit.chain.access import Access
from tillit.chain.models import Membership, Unit
from tillit.core.clock import frozen_at
from tillit.core.workdays import is_working_day
from tillit.pulse import services
from tillit.pulse.instrument import BY_CODE, DEFAULT_ITEMS, DONT_KNOW

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# One seeded generator draws who answers and what. Of the seeds tried, this one keeps the noise of the small
# groups (Hemtjänst Norr answers with five or six people) from telling a second story beside the real shift.
SEED = 2941
SCOPE = "Vård- och omsorgsförvaltningen"
SHARING = "Hemtjänst Norr"  # shares every round's results with the levels above
OPEN_FOR_DAYS = 18  # a Monday to the Friday of the third week
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# How many people answer in each unit (the unit's own people, not those below it), round by round. The
# frame: the förvaltning's chief 1, Hemtjänsten's head 1, Norr 6, Söder 5, Öster 4, Väster 4, Centrum 4,
# Nattpatrullen 3, Särskilt boende's head 1, Björkgården 4, Lindgården 4, Hälso- och sjukvård's head 1,
# Sjuksköterskeenheten 4, Rehabenheten 3, Biståndsenheten 4: 49 people.
ANSWERING = (
    {
        SCOPE: 1,
        "Hemtjänsten": 1,
        "Hemtjänst Norr": 5,
        "Hemtjänst Söder": 4,
        "Hemtjänst Öster": 3,
        "Hemtjänst Väster": 2,
        "Hemtjänst Centrum": 3,
        "Nattpatrullen": 2,
        "Särskilt boende": 1,
        "Björkgården": 3,
        "Lindgården": 2,
        "Hälso- och sjukvård": 0,
        "Sjuksköterskeenheten": 3,
        "Rehabenheten": 1,
        "Biståndsenheten": 3,
    },
    {  # the residual case: 1 + 2 at the förvaltning's own level beside two published groups of five
        SCOPE: 1,
        "Hemtjänsten": 1,
        "Hemtjänst Norr": 5,
        "Hemtjänst Söder": 3,
        "Hemtjänst Öster": 3,
        "Hemtjänst Väster": 2,
        "Hemtjänst Centrum": 2,
        "Nattpatrullen": 1,
        "Särskilt boende": 0,
        "Björkgården": 3,
        "Lindgården": 2,
        "Hälso- och sjukvård": 1,
        "Sjuksköterskeenheten": 3,
        "Rehabenheten": 1,
        "Biståndsenheten": 2,
    },
    {
        SCOPE: 1,
        "Hemtjänsten": 1,
        "Hemtjänst Norr": 6,
        "Hemtjänst Söder": 3,
        "Hemtjänst Öster": 3,
        "Hemtjänst Väster": 3,
        "Hemtjänst Centrum": 3,
        "Nattpatrullen": 2,
        "Särskilt boende": 1,
        "Björkgården": 3,
        "Lindgården": 3,
        "Hälso- och sjukvård": 0,
        "Sjuksköterskeenheten": 2,
        "Rehabenheten": 2,
        "Biståndsenheten": 3,
    },
)

# The usual level of each item on the 1–5 scale (team_mistakes is reversed: low is good), and the rise of
# the third round. "Vet inte" is rare, and only about the politicians' and management's world.
USUAL = {
    "manager_ability": 4.0,
    "manager_benevolence": 4.1,
    "manager_integrity": 3.9,
    "above_ability": 2.8,
    "above_benevolence": 2.6,
    "above_integrity": 2.5,
    "team_mistakes": 2.2,
    "team_problems": 3.9,
    "principle_trust": 3.9,
    "principle_room_to_act": 3.2,
    "principle_support": 2.7,
    "principle_openness": 3.1,
}
SHIFT = {"above_ability": 0.9, "above_benevolence": 1.0, "above_integrity": 1.0, "principle_support": 0.9}
DONT_KNOW_SHARE = 0.04  # of the answers about the level above, by people in the larger groups


@dataclass(frozen=True)
class PulseDemo:
    closed: int
    open: int
    scope: str

    def summary(self) -> str:
        return f"Trust pulse: {self.closed} closed rounds and {self.open} open round for {self.scope}."


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _monday_before(day: date) -> date:
    return _working_day_on_or_before(day - timedelta(days=day.weekday()))


def _answering_unit(organisation, scope: Unit) -> dict[int, str]:
    """Person id → the name of the deepest unit they belong to in the scope: the unit they answer for."""
    deepest: dict[int, tuple[int, str]] = {}
    for person_id, depth, name in Membership.objects.filter(
        unit__organisation=organisation, unit__path__startswith=scope.path, ended_at__isnull=True
    ).values_list("person_id", "unit__depth", "unit__name"):
        if person_id not in deepest or depth > deepest[person_id][0]:
            deepest[person_id] = (depth, name)
    return {person_id: name for person_id, (_depth, name) in deepest.items()}


def _answers(rng: random.Random, *, shifted: bool, unit: str, answering: int) -> dict[str, int]:
    """One person's answers: the usual level, the person's own leaning, and the noise of a single answer."""
    leaning = rng.gauss(0, 0.3)
    answers = {}
    for code in DEFAULT_ITEMS:
        if (
            BY_CODE[code].relation == "level_above"
            and answering >= 3
            and unit != SHARING
            and rng.random() < DONT_KNOW_SHARE
        ):
            answers[code] = DONT_KNOW
            continue
        level = USUAL[code] + (SHIFT.get(code, 0.0) if shifted else 0.0)
        if BY_CODE[code].reversed:
            level -= leaning
        else:
            level += leaning
        answers[code] = min(5, max(1, round(level + rng.gauss(0, 0.6))))
    return answers


def planned_answers(
    rng: random.Random, *, invited: dict[str, int], answering: dict[str, int], shifted: bool
) -> list[tuple[str, int, dict[str, int]]]:
    """Who answers (a unit's name and the position of the person's code among the unit's codes) and what,
    in the order the answers arrive. Pure: the same generator state gives the same round."""
    chosen = []
    for name, count in sorted(invited.items()):
        answers_here = min(answering.get(name, 0), count)
        chosen += [(name, position, answers_here) for position in rng.sample(range(count), answers_here)]
    rng.shuffle(chosen)
    return [
        (name, position, _answers(rng, shifted=shifted, unit=name, answering=answers_here))
        for name, position, answers_here in chosen
    ]


def _round(
    *,
    organisation,
    scope: Unit,
    actor,
    sharer,
    opens: date,
    answering: dict[str, int] | None,
    rng: random.Random,
    shifted: bool = False,
):
    """One round through the services. `answering` None: the round stays open (nobody has answered yet)."""
    system = Access.system(organisation.pk)
    closes_on = opens + timedelta(days=OPEN_FOR_DAYS)
    title = f"Tillitspuls {MONTHS[closes_on.month - 1]} {closes_on.year}"
    with frozen_at(_at(opens - timedelta(days=7), 10)):
        pulse = services.pulse_create(
            actor=actor,
            access=system,
            scope=scope,
            title=title,
            closes_on=closes_on,
            support_referent="förvaltningens stödfunktioner",
        )
    with frozen_at(_at(opens, 8)):
        pulse = services.pulse_open(actor=actor, access=system, pulse=pulse)
    delivered: list[tuple[int, str]] = []
    with frozen_at(_at(opens, 8, 5)):  # the worker's step: codes made and handed over, never stored
        services.pulse_invitations_send(
            pulse_id=pulse.pk, deliver=lambda person, token: delivered.append((person.pk, token))
        )
    if answering is None:
        return pulse
    units = _answering_unit(organisation, scope)
    by_unit: dict[str, list[str]] = {}
    for person_id, token in sorted(delivered):
        by_unit.setdefault(units[person_id], []).append(token)
    planned = planned_answers(
        rng,
        invited={name: len(tokens) for name, tokens in by_unit.items()},
        answering=answering,
        shifted=shifted,
    )
    for index, (name, position, answers) in enumerate(planned):
        day = opens + timedelta(days=min(OPEN_FOR_DAYS, index * OPEN_FOR_DAYS // len(planned)))
        with frozen_at(_at(day, 7 + index % 12)):
            services.pulse_answer(token=by_unit[name][position], answers=answers)
        if index == len(planned) // 2:
            with frozen_at(_at(opens + timedelta(days=9), 9)):
                services.pulse_remind(actor=actor, access=system, pulse=pulse)
    with frozen_at(_at(closes_on + timedelta(days=1), 2)):  # the daily task closes it after its last day
        pulse = services.pulse_close(actor=None, access=system, pulse=pulse)
    shared = pulse.frame.select_related("unit__organisation", "pulse").get(unit__name=SHARING)
    with frozen_at(_at(closes_on + timedelta(days=5), 10)):
        services.pulse_results_share(actor=sharer, access=system, pulse_unit=shared, shared=True)
    return pulse


def pulse_load(*, organisation) -> PulseDemo | None:
    """Write the pulse rounds of Exempelby's vård och omsorg (nothing for another organisation)."""
    if organisation.slug != "exempelby":
        return None
    scope = Unit.objects.get(organisation=organisation, name=SCOPE)
    people = get_user_model().objects.filter(organisation=organisation)
    actor = people.get(full_name="Mikael Holm")
    sharer = people.get(full_name="Johan Nyström")
    today = timezone.localdate()
    rng = random.Random(SEED)
    closed = 0
    for quarters_ago, answering in zip((3, 2, 1), ANSWERING, strict=True):
        _round(
            organisation=organisation,
            scope=scope,
            actor=actor,
            sharer=sharer,
            opens=_monday_before(today - timedelta(days=91 * quarters_ago)),
            answering=answering,
            rng=rng,
            shifted=quarters_ago == 1,
        )
        closed += 1
    # The round open now: opened a few working days ago, closing in about two weeks.
    opens = _working_day_on_or_before(today - timedelta(days=4))
    _round(
        organisation=organisation,
        scope=scope,
        actor=actor,
        sharer=sharer,
        opens=opens,
        answering=None,
        rng=rng,
    )
    return PulseDemo(closed=closed, open=1, scope=scope.name)
