"""The demo municipality: realistic, deterministic, and with a second organisation beside it."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from tillit.agreements.models import AgreementVersion
from tillit.chain.models import Membership, Organisation, Unit
from tillit.demo.generate import DEMO_PASSWORD, demo_load
from tillit.followup.models import AnalysisResult
from tillit.indicators.models import Indicator
from tillit.whistle.models import Channel

pytestmark = pytest.mark.integration

POLITICAL_LEVELS = {"Fullmäktige", "Styrelse och nämnd"}
LEADER_ROLES = {"Ordförande", "Förvaltningschef", "Avdelningschef", "Enhetschef"}


def snapshot(slug: str) -> dict:
    """Everything that makes the demo what it is, without database ids."""
    organisation = Organisation.objects.get(slug=slug)
    units = Unit.objects.filter(organisation=organisation).select_related("parent", "level")
    memberships = Membership.objects.filter(organisation=organisation).select_related(
        "person", "unit", "role"
    )
    return {
        "units": sorted((u.name, u.level.name, u.depth, u.parent.name if u.parent else None) for u in units),
        "memberships": sorted((m.person.full_name, m.unit.name, m.role.name, m.title) for m in memberships),
        # The follow-up data: every indicator's values, the agreements' states and the analysis.
        "observations": sorted(
            Indicator.objects.filter(organisation=organisation)
            .values_list("unit__name", "name")
            .annotate(
                n=Count("observations"),
                values=Sum("observations__value"),
                of=Sum("observations__denominator"),
            )
        ),
        "agreements": sorted(
            AgreementVersion.objects.filter(organisation=organisation).values_list(
                "agreement__unit__name", "number", "state", "review_date"
            )
        ),
        "analysis": sorted(
            AnalysisResult.objects.filter(organisation=organisation).values_list(
                "indicator__unit__name", "indicator__name", "chart", "variation", "assurance", "needs_look"
            )
        ),
        "emails": sorted(
            email.split("@")[0]
            for email in get_user_model()
            .objects.filter(organisation=organisation)
            .values_list("email", flat=True)
        ),
    }


def test_exempelby_has_the_expected_size(db):
    exempelby = Organisation.objects.get(slug="exempelby")
    units = Unit.objects.filter(organisation=exempelby)
    leaves = units.exclude(pk__in=Unit.objects.filter(parent__isnull=False).values("parent_id"))

    assert exempelby.name == "Exempelby kommun"
    assert units.count() == 65  # 64 and Biståndsenheten, which decides on home care (delegation)
    assert leaves.count() == 38
    assert get_user_model().objects.filter(organisation=exempelby).count() == 183  # 4 of them: visselblåsning
    assert Counter(units.values_list("level__name", flat=True)) == {
        "Fullmäktige": 1,
        "Styrelse och nämnd": 5,
        "Förvaltning": 5,
        "Avdelning": 16,
        "Enhet": 32,
        "Arbetslag": 6,
    }


def test_exempelby_has_four_nämnder_under_the_council_beside_the_kommunstyrelse(db):
    top = Unit.objects.get(organisation__slug="exempelby", parent=None)

    assert top.name == "Kommunfullmäktige"
    assert sorted(top.children.values_list("name", flat=True)) == [
        "Barn- och utbildningsnämnden",
        "Kommunstyrelsen",
        "Samhällsbyggnadsnämnden",
        "Socialnämnden",
        "Vård- och omsorgsnämnden",
    ]


def test_people_have_realistic_roles(db):
    roles = Counter(
        Membership.objects.filter(organisation__slug="exempelby", ended_at__isnull=True).values_list(
            "role__name", flat=True
        )
    )

    assert roles == {
        "Medarbetare": 80,
        "Enhetschef": 38,
        "Avdelningschef": 16,
        "Stödfunktion": 15,
        "Förtroendevald": 14,
        "Ordförande": 6,
        "Förvaltningschef": 5,
        "Analytiker": 3,
        "Internrevisor": 1,
        "Systemadministratör": 1,
    }


@pytest.mark.parametrize("slug", ["exempelby", "grannby"])
def test_every_unit_has_exactly_one_leader(db, slug):
    units = Unit.objects.filter(organisation__slug=slug).select_related("level")

    leaders = {
        u.name: list(
            Membership.objects.filter(unit=u, role__name__in=LEADER_ROLES, ended_at__isnull=True).values_list(
                "role__name", flat=True
            )
        )
        for u in units
    }
    managed = {
        u.name
        for u in units
        if Membership.objects.filter(unit=u, role__can_manage=True, ended_at__isnull=True).exists()
    }

    assert {name: len(roles) for name, roles in leaders.items()} == dict.fromkeys(leaders, 1)
    # Political bodies are led by a chair (ordförande); everything else by a manager who manages it.
    assert managed == {u.name for u in units if u.level.name not in POLITICAL_LEVELS}
    assert {roles[0] for u in units if u.level.name in POLITICAL_LEVELS for roles in [leaders[u.name]]} == {
        "Ordförande"
    }


def test_the_second_organisation_exists_and_is_small(db):
    grannby = Organisation.objects.get(slug="grannby")

    assert grannby.name == "Grannby kommun"
    assert sorted(Unit.objects.filter(organisation=grannby).values_list("name", flat=True)) == [
        "Grannby kommunfullmäktige",
        "Grannby omsorgsnämnd",
        "Grannbygården",
        "Hemtjänst Grannby",
        "Omsorgsförvaltningen",
    ]
    assert get_user_model().objects.filter(organisation=grannby).count() == 14
    assert not Membership.objects.filter(organisation=grannby, unit__organisation__slug="exempelby").exists()


@pytest.mark.parametrize(
    ("email", "unit_name", "role_name"),
    [
        ("karin.ekstrom@exempelby.se", "Vård- och omsorgsnämnden", "Ordförande"),
        ("mikael.holm@exempelby.se", "Vård- och omsorgsförvaltningen", "Förvaltningschef"),
        ("sofia.lindberg@exempelby.se", "Hemtjänsten", "Avdelningschef"),
        ("johan.nystrom@exempelby.se", "Hemtjänst Norr", "Enhetschef"),
        ("aino.korhonen@exempelby.se", "Hemtjänst Norr", "Medarbetare"),
        ("leila.hassan@exempelby.se", "Ekskolan", "Enhetschef"),
        ("per.sandberg@exempelby.se", "Kommunfullmäktige", "Internrevisor"),
        ("elin.wallin@exempelby.se", "Kommunfullmäktige", "Systemadministratör"),
        ("ville.virtanen@grannby.se", "Hemtjänst Grannby", "Enhetschef"),
    ],
)
def test_demo_logins_have_their_documented_roles_and_password(db, email, unit_name, role_name):
    someone = get_user_model().objects.get(email=email)

    roles = list(someone.memberships.values_list("unit__name", "role__name"))

    assert roles == [(unit_name, role_name)]
    assert check_password(DEMO_PASSWORD, someone.password) is True


def test_loading_the_demo_again_gives_exactly_the_same_municipality(db):
    first = {slug: snapshot(slug) for slug in ("exempelby", "grannby")}
    # Step the first copy aside (slugs and e-mail addresses are unique), then load a second one.
    for organisation in Organisation.objects.all():
        organisation.slug = f"first-{organisation.slug}"
        organisation.save(update_fields=["slug"])
    for someone in get_user_model().objects.all():
        someone.email = f"first-{someone.email}"
        someone.save(update_fields=["email"])
    Channel.objects.update(slug="first-exempelby")  # the whistleblowing channel's address is unique too

    result = demo_load()

    second = {slug: snapshot(slug) for slug in ("exempelby", "grannby")}
    assert second == first
    # 325 followed indicators, and the obstacles' 10 support indicators (two for each of five receiving units).
    assert len(second["exempelby"]["observations"]) == 325 + 10
    assert (result.organisation.name, result.units, result.people) == ("Exempelby kommun", 65, 197)
    assert len(result.logins) == 12


def test_loading_the_demo_twice_is_refused(db):
    with pytest.raises(ValueError, match="already exist"):
        demo_load()


def test_loaddemo_command_does_nothing_when_the_demo_is_loaded_and_asked_if_empty(db):
    out = StringIO()

    call_command("loaddemo", "--if-empty", stdout=out)
    with pytest.raises(CommandError, match="already loaded"):
        call_command("loaddemo")

    assert out.getvalue() == "The demo municipality is already loaded.\n"
    assert Organisation.objects.count() == 2
