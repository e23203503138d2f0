import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import unit

from .conftest import STABLE, analyse_mine

pytestmark = pytest.mark.integration


def _main(response) -> str:
    """The page's main element without its per-request CSRF token."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def _analysed(make_indicator, target, specs):
    indicators = [
        make_indicator(target, name, values, direction=direction) for name, values, direction in specs
    ]
    analyse_mine()
    return indicators


def test_the_follow_up_page_shows_each_indicator_as_a_chart_with_its_status_in_words(
    client, same_unit, home_care_north, make_indicator
):
    fine, concern = _analysed(
        make_indicator, home_care_north, [("Missade besök", STABLE, "down"), ("Fall", [*STABLE, 40], "down")]
    )
    client.force_login(same_unit)

    page = client.get(reverse("followup:unit-followup", args=[home_care_north.pk])).content.decode()

    assert page.count('<figure class="chart"') == 2
    assert f'id="indicator-{fine.pk}"' in page
    assert f'id="indicator-{concern.pk}"' in page
    assert "Signal om försämring" in page
    assert "Rutinvariation" in page
    # The indicator that needs a look comes first.
    assert page.index(f"indicator-{concern.pk}-heading") < page.index(f"indicator-{fine.pk}-heading")


def test_the_follow_up_page_needs_the_same_queries_for_two_or_twenty_indicators(
    client, same_unit, home_care_north, make_indicator
):
    client.force_login(same_unit)
    url = reverse("followup:unit-followup", args=[home_care_north.pk])
    _analysed(make_indicator, home_care_north, [(f"A{i}", STABLE, "down") for i in range(2)])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _analysed(make_indicator, home_care_north, [(f"B{i}", STABLE, "up") for i in range(18)])
    with CaptureQueriesContext(connection) as drawn:  # 18 charts not yet in the chart cache
        first = client.get(url)
    with CaptureQueriesContext(connection) as many:
        again = client.get(url)
    assert first.content.decode().count('<figure class="chart"') == 20
    assert _main(again) == _main(first)  # the cached charts are the drawn ones
    assert len(drawn) == len(few) + 1  # one query loads the points of every chart to draw
    assert len(many) == len(few)


def test_a_cached_chart_is_redrawn_when_what_it_shows_changes(
    client, same_unit, home_care_north, make_indicator
):
    from tillit.indicators.models import Indicator, Observation

    (indicator,) = _analysed(make_indicator, home_care_north, [("Fall", STABLE, "down")])
    client.force_login(same_unit)
    url = reverse("followup:unit-followup", args=[home_care_north.pk])
    assert "Prov: Fall" in client.get(url).content.decode()

    Indicator.objects.filter(pk=indicator.pk).update(name="Prov: Fallolyckor")
    renamed = client.get(url).content.decode()
    Observation.objects.filter(indicator=indicator).order_by("-period").update(value=99)
    analyse_mine()
    corrected = client.get(url).content.decode()

    assert f'<title id="indicator-{indicator.pk}-title">Prov: Fallolyckor</title>' in renamed
    assert "99" in corrected.split(f'id="indicator-{indicator.pk}"')[1].split("</figure>")[0]


def test_the_joint_look_view_of_a_committee_lists_only_what_needs_a_look_across_its_branch(
    client, politician, make_indicator
):
    nämnd = unit("Vård- och omsorgsnämnden")
    norr, söder, school = unit("Hemtjänst Norr"), unit("Hemtjänst Söder"), unit("Ekskolan")
    for target, prefix in ((norr, "Norr"), (söder, "Söder")):
        for i in range(5):
            make_indicator(target, f"{prefix} rutin {i}", STABLE)
    make_indicator(norr, "Fall i Norr", [*STABLE, 40])
    make_indicator(school, "Frånvaro på Ekskolan", [*STABLE, 40])  # another committee's branch
    analyse_mine()
    client.force_login(politician)

    page = client.get(reverse("followup:joint-look", args=[nämnd.pk])).content.decode()

    assert "Fall i Norr" in page
    assert "Norr rutin" not in page
    assert "Söder rutin" not in page
    assert "Frånvaro på Ekskolan" not in page
    assert "inom överenskomna ramar: 10 indikatorer" in page.lower()


def test_staff_looking_up_the_chain_see_only_their_own_units_items(client, colleague, make_indicator):
    norr, söder = unit("Hemtjänst Norr"), unit("Hemtjänst Söder")
    make_indicator(norr, "Fall i Norr", [*STABLE, 40])
    make_indicator(söder, "Fall i Söder", [*STABLE, 40])
    analyse_mine()
    client.force_login(colleague)

    page = client.get(reverse("followup:joint-look", args=[unit("Hemtjänsten").pk])).content.decode()

    assert "Fall i Norr" in page
    assert "Fall i Söder" not in page


def test_the_joint_look_view_needs_the_same_queries_for_few_or_many_signals(
    client, politician, make_indicator
):
    nämnd, norr = unit("Vård- och omsorgsnämnden"), unit("Hemtjänst Norr")
    client.force_login(politician)
    url = reverse("followup:joint-look", args=[nämnd.pk])
    make_indicator(norr, "Signal 0", [*STABLE, 40])
    analyse_mine()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(1, 12):
        make_indicator(norr, f"Signal {i}", [*STABLE, 40])
    analyse_mine()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count("Signal ") >= 12
    assert len(many) == len(few)


def test_another_organisation_gets_404_for_follow_up_pages(client, other_organisation, home_care_north):
    client.force_login(other_organisation)
    for name in ("followup:unit-followup", "followup:joint-look"):
        assert client.get(reverse(name, args=[home_care_north.pk])).status_code == 404


def test_only_the_units_own_people_can_update_the_analysis_on_demand(
    client, same_unit, politician, home_care_north, make_indicator
):
    indicator = make_indicator(home_care_north, "Fall", STABLE)
    url = reverse("followup:unit-analyse", args=[home_care_north.pk])
    client.force_login(politician)
    assert client.post(url).status_code == 403
    assert not hasattr(indicator, "analysis") or indicator.analysis is None

    client.force_login(same_unit)
    assert client.post(url).status_code == 302
    indicator.refresh_from_db()
    assert indicator.analysis.n == 24


def test_the_unit_page_says_how_many_of_its_indicators_need_a_look(
    client, same_unit, home_care_north, make_indicator
):
    _analysed(make_indicator, home_care_north, [("Fall", [*STABLE, 40], "down"), ("Missade", STABLE, "down")])
    client.force_login(same_unit)

    page = client.get(home_care_north.get_absolute_url()).content.decode()

    assert "1 av enhetens indikatorer behöver en gemensam genomgång" in page
    assert reverse("followup:unit-followup", args=[home_care_north.pk]) in page


def test_home_shows_what_needs_a_joint_look_below_each_of_my_units(client, politician, make_indicator):
    norr = unit("Hemtjänst Norr")
    make_indicator(norr, "Fall", [*STABLE, 40])
    make_indicator(norr, "Missade", STABLE)
    analyse_mine()
    client.force_login(politician)

    page = client.get("/").content.decode()

    nämnd = unit("Vård- och omsorgsnämnden")
    assert reverse("followup:joint-look", args=[nämnd.pk]) in page
    assert "1 sak behöver en gemensam genomgång" in page


def test_a_reported_qualitative_boundary_shows_on_the_joint_look_view_of_the_branch(
    client, colleague, politician, other_branch
):
    from datetime import timedelta

    from django.utils import timezone

    from tillit.agreements.models import AgreementState, Boundary, BoundaryKind
    from tillit.agreements.services import boundary_report_create
    from tillit.chain.selectors import access_for

    norr = unit("Hemtjänst Norr")
    boundary = Boundary.objects.filter(
        version__agreement__unit=norr, version__state=AgreementState.SIGNED, kind=BoundaryKind.QUALITATIVE
    ).first()
    assert boundary is not None, "the demo gives Hemtjänst Norr a qualitative boundary in force"
    boundary_report_create(
        actor=colleague,
        access=access_for(person=colleague),
        boundary=boundary,
        occurred_on=timezone.localdate() - timedelta(days=3),
        description="Prov: en brukare fick ingen kvällsinsats.",
    )

    client.force_login(politician)
    page = client.get(
        reverse("followup:joint-look", args=[unit("Vård- och omsorgsnämnden").pk])
    ).content.decode()
    client.force_login(other_branch)
    # From the top of the chain, which she reads, another branch's report stays out of sight.
    elsewhere = client.get(
        reverse("followup:joint-look", args=[unit("Kommunfullmäktige").pk])
    ).content.decode()

    assert "Prov: en brukare fick ingen kvällsinsats." in page
    assert "Prov: en brukare fick ingen kvällsinsats." not in elsewhere
