"""The vetted item bank of the trust pulse (Tillitspuls) and its default instrument.

Items are code, not data an organisation can type: an organisation picks items from this bank and never
writes a free question, so no pulse can ask for a name, an age or a gender (security-requirements §3.3).
Each item asks about a relation in the steering chain (`Relation`), names its referent, and says where it
comes from; `docs/pulse.md` gives the sources and which wordings are adapted. Answers are 1–5 ("stämmer
inte alls" … "stämmer helt") or "vet inte" (0, stored but never part of a mean).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tillit.pulse.enums import Construct, Relation

MAX_ITEMS = 12  # a monthly or quarterly pulse stays short
DONT_KNOW = 0
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {
    1: _("Not at all true"),
    2: _("Mostly not true"),
    3: _("Partly true"),
    4: _("Mostly true"),
    5: _("Completely true"),
    DONT_KNOW: _("Don't know"),
}
FREE_TEXT_QUESTION = _("What would increase trust?")


@dataclass(frozen=True)
class Item:
    code: str
    relation: Relation
    construct: Construct
    template: Promise  # "{referent}" is replaced by the relation's referent
    source: str  # short citation; docs/pulse.md has the full one
    adapted: bool  # wording or referent changed from the source
    reversed: bool = False  # agreeing means less trust (Edmondson's negatively worded items)
    principle: str = ""

    def text(self, *, support_referent: str = "") -> str:
        referent = support_referent if self.relation == Relation.SUPPORT and support_referent else None
        return capfirst(str(self.template).format(referent=referent or Relation(self.relation).label))


MAYER_DAVIS = "Mayer & Davis 1999"
EDMONDSON = "Edmondson 1999"
TILLIT = "Tillitsdelegationen, SOU 2018:47 / SOU 2019:43"


def _abi(relation: Relation, prefix: str) -> list[Item]:
    return [
        Item(
            f"{prefix}_ability",
            relation,
            Construct.ABILITY,
            _("{referent} has the knowledge needed to give us good conditions for our work."),
            MAYER_DAVIS,
            adapted=True,
        ),
        Item(
            f"{prefix}_benevolence",
            relation,
            Construct.BENEVOLENCE,
            _("{referent} cares about what matters to us and to those we are here for."),
            MAYER_DAVIS,
            adapted=True,
        ),
        Item(
            f"{prefix}_integrity",
            relation,
            Construct.INTEGRITY,
            _("{referent} does what they say they will do."),
            MAYER_DAVIS,
            adapted=True,
        ),
    ]


def _principle(principle: str, relation: Relation, template) -> Item:
    return Item(
        f"principle_{principle}",
        relation,
        Construct.PRINCIPLE,
        template,
        TILLIT,
        adapted=False,
        principle=principle,
    )


BANK: tuple[Item, ...] = (
    *_abi(Relation.NEAREST_MANAGER, "manager"),
    *_abi(Relation.LEVEL_ABOVE, "above"),
    *_abi(Relation.POLITICIANS, "politicians"),
    *_abi(Relation.SUPPORT, "support"),
    Item(
        "team_mistakes",
        Relation.TEAM,
        Construct.PSYCHOLOGICAL_SAFETY,
        _("If you make a mistake here, it is often held against you."),
        EDMONDSON,
        adapted=True,
        reversed=True,
    ),
    Item(
        "team_problems",
        Relation.TEAM,
        Construct.PSYCHOLOGICAL_SAFETY,
        _("In our work group we can bring up problems and tough issues."),
        EDMONDSON,
        adapted=True,
    ),
    Item(
        "team_different",
        Relation.TEAM,
        Construct.PSYCHOLOGICAL_SAFETY,
        _("People here sometimes reject others for being different."),
        EDMONDSON,
        adapted=True,
        reversed=True,
    ),
    Item(
        "team_risk",
        Relation.TEAM,
        Construct.PSYCHOLOGICAL_SAFETY,
        _("It is safe to take a risk in our work group."),
        EDMONDSON,
        adapted=True,
    ),
    Item(
        "team_help",
        Relation.TEAM,
        Construct.PSYCHOLOGICAL_SAFETY,
        _("It is difficult to ask others in our work group for help."),
        EDMONDSON,
        adapted=True,
        reversed=True,
    ),
    Item(
        "team_undermine",
        Relation.TEAM,
        Construct.PSYCHOLOGICAL_SAFETY,
        _("No one in our work group would deliberately undermine my efforts."),
        EDMONDSON,
        adapted=True,
    ),
    Item(
        "team_skills",
        Relation.TEAM,
        Construct.PSYCHOLOGICAL_SAFETY,
        _("My skills and talents are valued and used in our work group."),
        EDMONDSON,
        adapted=True,
    ),
    _principle(
        "trust",
        Relation.NEAREST_MANAGER,
        _("{referent} shows that they trust us to do our work well."),
    ),
    _principle(
        "citizen_focus",
        Relation.TEAM,
        _("What the people we serve need and know guides how we work."),
    ),
    _principle(
        "whole_view",
        Relation.LEVEL_ABOVE,
        _("{referent} helps us work together across units when the people we serve need it."),
    ),
    _principle(
        "room_to_act",
        Relation.NEAREST_MANAGER,
        _("I have the room to act that I need to help the people we serve."),
    ),
    _principle(
        "support",
        Relation.SUPPORT,
        _("We get the support we need from {referent}."),
    ),
    _principle(
        "knowledge",
        Relation.TEAM,
        _("Our professional knowledge counts when decisions about our work are made."),
    ),
    _principle(
        "openness",
        Relation.LEVEL_ABOVE,
        _("I can raise problems and criticism with {referent} without worrying."),
    ),
    _principle(
        "long_term",
        Relation.POLITICIANS,
        _("{referent} give our work long-term conditions rather than quick fixes."),
    ),
)
BY_CODE: dict[str, Item] = {item.code: item for item in BANK}

DEFAULT_ITEMS: tuple[str, ...] = (
    "manager_ability",
    "manager_benevolence",
    "manager_integrity",
    "above_ability",
    "above_benevolence",
    "above_integrity",
    "team_mistakes",
    "team_problems",
    "principle_trust",
    "principle_room_to_act",
    "principle_support",
    "principle_openness",
)
assert len(DEFAULT_ITEMS) <= MAX_ITEMS
assert all(code in BY_CODE for code in DEFAULT_ITEMS)


def items_of(codes) -> list[Item]:
    return [BY_CODE[code] for code in codes if code in BY_CODE]
