"""The item bank and the default instrument: short, vetted, about relations, never identifying."""

import re

import pytest
from django.utils import translation

from tillit.pulse.enums import Construct, Relation
from tillit.pulse.instrument import (
    BANK,
    BY_CODE,
    DEFAULT_ITEMS,
    DONT_KNOW,
    MAX_ITEMS,
    SCALE,
    SCALE_LABELS,
    items_of,
)

pytestmark = pytest.mark.unit


def test_the_default_instrument_asks_at_most_twelve_items_all_from_the_bank():
    assert len(DEFAULT_ITEMS) <= MAX_ITEMS == 12
    assert len(set(DEFAULT_ITEMS)) == len(DEFAULT_ITEMS)
    assert all(code in BY_CODE for code in DEFAULT_ITEMS)


def test_item_codes_are_unique_and_name_their_relation():
    assert len(BY_CODE) == len(BANK)
    for item in BANK:
        assert item.relation in Relation.values
        assert item.construct in Construct.values
        assert item.source


def test_every_guiding_principle_has_an_item():
    principles = {item.principle for item in BANK if item.construct == Construct.PRINCIPLE}
    assert principles == {
        "trust",
        "citizen_focus",
        "whole_view",
        "room_to_act",
        "support",
        "knowledge",
        "openness",
        "long_term",
    }


def test_ability_benevolence_and_integrity_are_asked_about_each_relation_of_the_chain():
    for relation in (Relation.NEAREST_MANAGER, Relation.LEVEL_ABOVE, Relation.POLITICIANS, Relation.SUPPORT):
        constructs = {item.construct for item in BANK if item.relation == relation}
        assert {Construct.ABILITY, Construct.BENEVOLENCE, Construct.INTEGRITY} <= constructs


def test_edmondsons_negatively_worded_items_are_marked_reversed():
    reversed_codes = {item.code for item in BANK if item.reversed}
    assert reversed_codes == {"team_mistakes", "team_different", "team_help"}
    assert all(BY_CODE[code].construct == Construct.PSYCHOLOGICAL_SAFETY for code in reversed_codes)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_item_text_names_its_referent_and_leaves_no_placeholder(language):
    with translation.override(language):
        for item in BANK:
            text = item.text(support_referent="HR-stödet")
            assert text
            assert "{" not in text
            assert "}" not in text
            assert text[0] == text[0].upper()


def test_the_support_referent_replaces_only_the_support_functions_referent():
    assert "HR-stödet" in BY_CODE["support_ability"].text(support_referent="HR-stödet")
    assert "HR-stödet" not in BY_CODE["manager_ability"].text(support_referent="HR-stödet")
    assert BY_CODE["support_ability"].text()  # without a named support function: the relation's label


def test_no_item_asks_for_anything_that_identifies_a_person():
    identifying = re.compile(r"\b(name|age|gender|born|sex|ålder|kön|namn|födelse)\b", re.IGNORECASE)
    for item in BANK:
        with translation.override("en"):
            assert not identifying.search(item.text()), item.code
        with translation.override("sv"):
            assert not identifying.search(item.text()), item.code


def test_the_scale_is_one_to_five_and_dont_know_is_zero():
    assert SCALE == (1, 2, 3, 4, 5)
    assert DONT_KNOW == 0
    assert set(SCALE_LABELS) == {*SCALE, DONT_KNOW}


def test_items_of_keeps_the_order_and_skips_unknown_codes():
    assert [item.code for item in items_of(["team_risk", "nope", "manager_ability"])] == [
        "team_risk",
        "manager_ability",
    ]
