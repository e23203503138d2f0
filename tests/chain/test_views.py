"""The pages of the steering chain, through Django's test client."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.conftest import person, unit
from tillit.chain import services
from tillit.chain.models import Level, Membership, Role, Unit
from tillit.chain.selectors import access_for

pytestmark = pytest.mark.integration

UNIT_LINK = re.compile(r'<a href="/units/(\d+)/"[^>]*>([^<]+)</a>')


@pytest.fixture
def english(client):
    """A client whose language cookie asks for English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def linked_units(html: str) -> dict[int, str]:
    return {int(pk): name for pk, name in UNIT_LINK.findall(html)}


def section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, flags=re.DOTALL)
    assert match, heading_id
    return match.group(0)


def breadcrumb(html: str) -> list[str]:
    match = re.search(r'<nav class="breadcrumb".*?</nav>', html, flags=re.DOTALL)
    assert match
    return [name for _pk, name in UNIT_LINK.findall(match.group(0))]


# --- home ------------------------------------------------------------------------------------------------


def test_home_lists_my_units_with_the_chain_above_them(client, same_unit, home_care_north):
    client.force_login(same_unit)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    cards = re.findall(r'<h2 class="card__title"><a href="/units/(\d+)/">([^<]+)</a></h2>', html)
    assert cards == [(str(home_care_north.pk), "Hemtjänst Norr")]
    chain = re.search(r'<p class="card__chain">.*?</p>', html, flags=re.DOTALL).group(0)
    assert [name for _pk, name in UNIT_LINK.findall(chain)] == [
        "Kommunfullmäktige",
        "Vård- och omsorgsnämnden",
        "Vård- och omsorgsförvaltningen",
        "Hemtjänsten",
    ]


def test_home_of_a_manager_above_shows_the_sub_units(english, sofia):
    english.force_login(sofia)

    html = english.get("/").content.decode()

    assert "6 sub-units" in html
    assert {"Hemtjänst Norr", "Hemtjänst Söder", "Nattpatrullen"} <= set(linked_units(html).values())


def test_home_without_roles_says_how_to_get_one(english, home_care_north):
    newcomer = get_user_model().objects.create_user(
        "ny@exempelby.se",
        "ett-långt-lösenord",
        full_name="Ny Person",
        organisation=home_care_north.organisation,
    )
    english.force_login(newcomer)

    html = english.get("/").content.decode()

    assert "You have no role in any unit yet." in html
    assert 'class="card"' not in html


# --- the tree --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email", ["aino.korhonen@exempelby.se", "karin.ekstrom@exempelby.se", "leila.hassan@exempelby.se"]
)
def test_tree_links_the_readable_units_and_shows_the_others_as_plain_text(db, client, email):
    viewer = person(email)
    access = access_for(person=viewer)
    units = list(Unit.objects.filter(organisation_id=viewer.organisation_id, closed_at__isnull=True))
    client.force_login(viewer)

    html = client.get("/chain/").content.decode()

    links = linked_units(html)
    plain = set(re.findall(r'<span class="tree__name">([^<]+)</span>', html))
    assert set(links) == {u.pk for u in units if access.can_read(u)}
    assert plain == {u.name for u in units if not access.can_read(u)}
    assert len(links) + len(plain) == len(units) == 65


def test_tree_hides_closed_units_unless_asked(client, administrator):
    closed = services.unit_close(
        actor=administrator, access=access_for(person=administrator), unit=unit("Nattpatrullen")
    )
    client.force_login(administrator)

    default = linked_units(client.get("/chain/").content.decode())
    with_closed = linked_units(client.get("/chain/", {"closed": "1"}).content.decode())

    assert closed.pk not in default
    assert with_closed[closed.pk] == "Nattpatrullen"
    assert len(with_closed) == len(default) + 1 == 65


# --- the unit page -------------------------------------------------------------------------------------


def test_unit_page_shows_people_roles_sub_units_and_the_chain_above(english, politician):
    hemtjansten = unit("Hemtjänsten")
    english.force_login(politician)

    response = english.get(f"/units/{hemtjansten.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert breadcrumb(html) == [
        "Kommunfullmäktige",
        "Vård- och omsorgsnämnden",
        "Vård- och omsorgsförvaltningen",
        "Hemtjänsten",
    ]
    people = section(html, "people-heading")
    rows = re.findall(
        r'<a href="/people/\d+/">([^<]+)</a></td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>', people
    )
    assert rows == [("Sofia Lindberg", "Avdelningschef", "Avdelningschef")]
    children = [name for _pk, name in UNIT_LINK.findall(section(html, "children-heading"))]
    assert children == [
        "Hemtjänst Centrum",
        "Hemtjänst Norr",
        "Hemtjänst Söder",
        "Hemtjänst Väster",
        "Hemtjänst Öster",
        "Nattpatrullen",
    ]
    assert "Invite a person" not in html  # a chair reads but does not manage


def test_unit_page_lists_every_active_role_with_management_actions_for_the_manager(
    english, same_unit, home_care_north
):
    english.force_login(same_unit)

    html = english.get(f"/units/{home_care_north.pk}/").content.decode()

    people = section(html, "people-heading")
    names = re.findall(r'<a href="/people/\d+/">([^<]+)</a>', people)
    assert len(names) == 6
    assert names[0] == "Johan Nyström"  # managers first
    assert "Aino Korhonen" in names
    assert people.count("/end/") == 6
    assert "No sub-units." in html
    for action in ("invite", "roles/new", "new-sub-unit", "rename", "move", "close"):
        assert f'href="/units/{home_care_north.pk}/{action}/"' in html


def test_person_page_shows_only_roles_in_readable_units(client, politician, other_branch):
    karin = person("karin.ekstrom@exempelby.se")
    client.force_login(other_branch)
    blocked = client.get(f"/people/{karin.pk}/")
    client.force_login(person("aino.korhonen@exempelby.se"))
    visible = client.get(f"/people/{karin.pk}/")

    assert blocked.status_code == 404
    assert visible.status_code == 200
    assert linked_units(visible.content.decode()) == {
        unit("Vård- och omsorgsnämnden").pk: "Vård- och omsorgsnämnden"
    }


# --- forms: bad input is refused clearly and nothing typed is lost ----------------------------------


def test_new_sub_unit_form_rejects_an_empty_name_in_swedish_and_keeps_the_level(
    client, same_unit, home_care_north
):
    level = Level.objects.get(organisation=home_care_north.organisation, name="Arbetslag")
    client.force_login(same_unit)

    response = client.post(f"/units/{home_care_north.pk}/new-sub-unit/", {"name": "", "level": level.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="field__error" id="id_name_error">Detta fält måste fyllas i.</p>' in html
    assert f'<option value="{level.pk}" selected>Arbetslag</option>' in html
    assert Unit.objects.filter(parent=home_care_north).count() == 0


def test_new_sub_unit_form_keeps_the_typed_name_when_the_level_is_missing(client, same_unit, home_care_north):
    client.force_login(same_unit)

    response = client.post(f"/units/{home_care_north.pk}/new-sub-unit/", {"name": "Kvällsgruppen"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kvällsgruppen"' in html
    assert '<p class="field__error" id="id_level_error">Detta fält måste fyllas i.</p>' in html


def test_new_sub_unit_form_creates_the_unit_and_goes_to_it(english, same_unit, home_care_north):
    level = Level.objects.get(organisation=home_care_north.organisation, name="Arbetslag")
    english.force_login(same_unit)

    response = english.post(
        f"/units/{home_care_north.pk}/new-sub-unit/",
        {"name": "Kvällsgruppen", "level": level.pk},
        follow=True,
    )

    created = Unit.objects.get(parent=home_care_north)
    assert created.name == "Kvällsgruppen"
    assert response.redirect_chain == [(f"/units/{created.pk}/", 302)]
    assert "The unit Kvällsgruppen was created." in response.content.decode()


def test_moving_under_an_own_sub_unit_is_not_offered_and_refused_in_swedish(
    client, administrator, home_care_north
):
    hemtjansten = unit("Hemtjänsten")
    client.force_login(administrator)

    form = client.get(f"/units/{hemtjansten.pk}/move/").content.decode()
    response = client.post(f"/units/{hemtjansten.pk}/move/", {"new_parent": home_care_north.pk})

    offered = set(map(int, re.findall(r'<option value="(\d+)"', form)))
    assert home_care_north.pk not in offered
    assert hemtjansten.pk not in offered
    assert unit("Särskilt boende").pk in offered
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in response.content.decode()
    hemtjansten.refresh_from_db()
    assert hemtjansten.parent == unit("Vård- och omsorgsförvaltningen")


def test_moving_through_the_form_moves_the_unit(english, administrator, home_care_north):
    target = unit("Särskilt boende")
    english.force_login(administrator)

    response = english.post(f"/units/{home_care_north.pk}/move/", {"new_parent": target.pk})

    home_care_north.refresh_from_db()
    assert response.status_code == 302
    assert home_care_north.parent == target
    assert home_care_north.path == f"{target.path}{home_care_north.pk}/"


def test_closing_a_unit_with_open_sub_units_shows_why_on_the_form(english, administrator):
    hemtjansten = unit("Hemtjänsten")
    english.force_login(administrator)

    response = english.post(f"/units/{hemtjansten.pk}/close/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="form-errors" role="alert"' in html
    assert "<li>Close or move the unit&#x27;s open sub-units first.</li>" in html
    hemtjansten.refresh_from_db()
    assert hemtjansten.closed_at is None


def test_rename_form_shows_the_service_error_on_the_field_and_keeps_the_level(
    english, same_unit, home_care_north
):
    enhet = Level.objects.get(organisation=home_care_north.organisation, name="Enhet")
    english.force_login(same_unit)

    response = english.post(f"/units/{home_care_north.pk}/rename/", {"name": "   ", "level": enhet.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_name_error">This field is required.</p>' in html
    assert f'<option value="{enhet.pk}" selected>Enhet</option>' in html


def test_assigning_a_role_through_the_form(english, same_unit, colleague, home_care_north):
    analyst = Role.objects.get(organisation=home_care_north.organisation, name="Analytiker")
    english.force_login(same_unit)

    form = english.get(f"/units/{home_care_north.pk}/roles/new/").content.decode()
    response = english.post(
        f"/units/{home_care_north.pk}/roles/new/",
        {"person": colleague.pk, "role": analyst.pk, "title": "Samordnare"},
    )

    assert "Systemadministratör" not in form  # a manager cannot hand out organisation-wide roles
    assert "Internrevisor" not in form
    assert response.status_code == 302
    assert Membership.objects.filter(person=colleague, role=analyst, title="Samordnare").exists()


def test_assigning_the_same_role_twice_shows_the_error_on_the_role(
    english, same_unit, colleague, home_care_north
):
    staff_role = Role.objects.get(organisation=home_care_north.organisation, name="Medarbetare")
    english.force_login(same_unit)

    response = english.post(
        f"/units/{home_care_north.pk}/roles/new/", {"person": colleague.pk, "role": staff_role.pk}
    )

    assert response.status_code == 200
    assert (
        'id="id_role_error">The person already has this role in this unit.</p>' in response.content.decode()
    )


def test_ending_a_role_is_post_only(client, same_unit, colleague, home_care_north):
    membership = Membership.objects.get(person=colleague, unit=home_care_north, ended_at__isnull=True)
    client.force_login(same_unit)

    by_get = client.get(f"/roles/{membership.pk}/end/")
    by_post = client.post(f"/roles/{membership.pk}/end/")

    membership.refresh_from_db()
    assert by_get.status_code == 405
    assert by_post.status_code == 302
    assert by_post["Location"] == f"/units/{home_care_north.pk}/"
    assert membership.ended_at is not None


def test_administrator_renames_a_level_and_creates_a_role_in_the_app(english, administrator):
    level = Level.objects.get(organisation=administrator.organisation, name="Arbetslag")
    english.force_login(administrator)

    settings_page = english.get("/organisation/")
    renamed = english.post(f"/organisation/levels/{level.pk}/", {"name": "Team"})
    duplicate = english.post(f"/organisation/levels/{level.pk}/", {"name": "Enhet"})
    created = english.post("/organisation/roles/new/", {"name": "Kvalitetsutvecklare", "can_write": "on"})

    level.refresh_from_db()
    role = Role.objects.get(organisation=administrator.organisation, name="Kvalitetsutvecklare")
    assert settings_page.status_code == 200
    assert renamed.status_code == created.status_code == 302
    assert level.name == "Team"
    assert duplicate.status_code == 200
    assert "The organisation already has a level with this name." in duplicate.content.decode()
    assert (role.can_write, role.can_manage, role.can_administer, role.can_audit) == (
        True,
        False,
        False,
        False,
    )


# --- language ------------------------------------------------------------------------------------------


def test_pages_are_swedish_by_default_and_english_after_switching(client, same_unit, home_care_north):
    client.force_login(same_unit)
    url = f"/units/{home_care_north.pk}/"

    swedish = client.get(url).content.decode()
    switch = client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = client.get(url).content.decode()
    back = client.post("/i18n/setlang/", {"language": "sv", "next": url})
    swedish_again = client.get(url).content.decode()

    assert '<html lang="sv">' in swedish
    assert switch.status_code == 302
    assert switch["Location"] == url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value in {"en", "sv"}
    assert '<html lang="en">' in english
    assert "People and roles" in english
    assert "Sub-units" in english
    assert back.status_code == 302
    assert '<html lang="sv">' in swedish_again


def test_language_switch_refuses_to_redirect_to_another_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"


# --- query counts: pages must not grow with the size of the organisation --------------------------------


def _grow(organisation_unit, administrator, count: int) -> None:
    """Add `count` sub-units, each with a person, under a unit."""
    access = access_for(person=administrator)
    level = Level.objects.get(organisation=organisation_unit.organisation, name="Arbetslag")
    role = Role.objects.get(organisation=organisation_unit.organisation, name="Medarbetare")
    for number in range(count):
        child = services.unit_create(
            actor=administrator,
            access=access,
            organisation=organisation_unit.organisation,
            parent=organisation_unit,
            level=level,
            name=f"Arbetslag {number}",
        )
        someone = get_user_model().objects.create_user(
            f"person{number}@exempelby.se",
            None,
            full_name=f"Person {number}",
            organisation=child.organisation,
        )
        services.membership_create(actor=administrator, access=access, person=someone, unit=child, role=role)
        services.membership_create(
            actor=administrator, access=access, person=someone, unit=organisation_unit, role=role
        )


def test_unit_page_query_count_does_not_grow_with_people_and_sub_units(
    client, same_unit, administrator, home_care_north, django_assert_max_num_queries
):
    client.force_login(same_unit)
    url = f"/units/{home_care_north.pk}/"
    client.get(url)  # warm the session

    # 9 for the chain, people and purpose; one each for the agreement, follow-up and delegation sections;
    # one for the unread count beside "Inkorg" in the navigation.
    with django_assert_max_num_queries(13):
        small = client.get(url)
    _grow(home_care_north, administrator, 30)
    with django_assert_max_num_queries(13):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert large.content.decode().count('href="/people/') == 6 + 30 + 1  # the header links to me


def test_tree_query_count_does_not_grow_with_the_number_of_units(
    client, politician, administrator, django_assert_max_num_queries
):
    client.force_login(politician)
    client.get("/chain/")

    # One of them is the unread count in the navigation.
    with django_assert_max_num_queries(6):
        small = client.get("/chain/")
    _grow(unit("Hemtjänst Norr"), administrator, 30)
    with django_assert_max_num_queries(6):
        large = client.get("/chain/")

    assert small.status_code == large.status_code == 200
    assert len(linked_units(large.content.decode())) == len(linked_units(small.content.decode())) + 30


@pytest.fixture
def sofia(db):
    return person("sofia.lindberg@exempelby.se")


def test_a_closed_unit_keeps_its_page_and_audit_log_for_the_chain_above(english, sofia, home_care_north):
    english.force_login(sofia)
    closed = english.post(f"/units/{home_care_north.pk}/close/")

    page = english.get(f"/units/{home_care_north.pk}/").content.decode()
    log = english.get(f"/units/{home_care_north.pk}/audit-log/").content.decode()

    assert closed.status_code == 302
    assert "This unit was closed on" in page
    assert "Its history is kept." in page
    assert "Nobody has a role in this unit." in page
    assert "Invite a person" not in page  # nothing to manage in a closed unit
    assert "Unit closed: Hemtjänst Norr" in log
    assert log.count("Role ended:") == 6


def test_assign_role_form_offers_a_manager_only_people_in_their_chain(english, same_unit, home_care_north):
    english.force_login(same_unit)

    form = english.get(f"/units/{home_care_north.pk}/roles/new/").content.decode()

    assert "Aino Korhonen &lt;aino.korhonen@exempelby.se&gt;" in form
    assert "Karin Ekström" in form  # the chair of the nämnd above
    assert "Leila Hassan" not in form  # another branch
    assert "Ville Virtanen" not in form  # another organisation


def test_person_page_shows_ended_roles_with_their_period(english, same_unit, colleague, home_care_north):
    membership = Membership.objects.get(person=colleague, unit=home_care_north, ended_at__isnull=True)
    services.membership_end(actor=same_unit, access=access_for(person=same_unit), membership=membership)
    english.force_login(same_unit)

    page = english.get(f"/people/{colleague.pk}/").content.decode()

    assert "Aino Korhonen" in page
    assert linked_units(page) == {home_care_north.pk: "Hemtjänst Norr"}
    assert "now" not in re.search(r"<tbody>.*?</tbody>", page, flags=re.DOTALL).group(0)


def test_audit_log_query_count_does_not_grow_with_events(
    client, administrator, home_care_north, django_assert_max_num_queries
):
    client.force_login(administrator)
    url = f"/units/{home_care_north.pk}/audit-log/"
    client.get(url)
    access = access_for(person=administrator)

    # One of them is the unread count in the navigation.
    with django_assert_max_num_queries(9):
        client.get(url)
    for number in range(60):
        services.unit_rename(actor=administrator, access=access, unit=home_care_north, name=f"Norr {number}")
    with django_assert_max_num_queries(9):
        response = client.get(url)

    assert response.status_code == 200


def test_names_with_markup_are_escaped_on_every_page(client, administrator, home_care_north):
    hostile = '<script>alert("x")</script>'
    services.unit_rename(
        actor=administrator, access=access_for(person=administrator), unit=home_care_north, name=hostile
    )
    client.force_login(administrator)

    pages = [
        client.get(url).content.decode()
        for url in ("/chain/", f"/units/{home_care_north.pk}/", f"/units/{home_care_north.pk}/audit-log/")
    ]

    for page in pages:
        assert hostile not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_state_changes_need_a_csrf_token(same_unit, home_care_north):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(same_unit)

    response = browser.post(f"/units/{home_care_north.pk}/close/")

    home_care_north.refresh_from_db()
    assert response.status_code == 403
    assert home_care_north.closed_at is None


def test_home_person_and_settings_pages_query_count_does_not_grow(
    client, administrator, colleague, home_care_north, django_assert_max_num_queries
):
    """The home page (one look count per own role, one query for the open trust pulses, one for the
    whistleblowing channel's address and the person's role in it), a person's roles
    and the organisation's levels and roles cost the same however large the organisation and the lists grow."""
    client.force_login(administrator)
    pages = ["/", f"/people/{colleague.pk}/", "/organisation/"]
    client.get(pages[0])  # warm the session

    def counts() -> list[int]:
        found = []
        for url, most in zip(pages, (10, 8, 7), strict=True):
            with django_assert_max_num_queries(most) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    small = counts()
    _grow(home_care_north, administrator, 10)
    access = access_for(person=administrator)
    organisation = home_care_north.organisation
    for number in range(10):
        services.membership_create(
            actor=administrator,
            access=access,
            person=colleague,
            unit=Unit.objects.get(organisation=organisation, name=f"Arbetslag {number}"),
            role=Role.objects.get(organisation=organisation, name="Medarbetare"),
        )
        services.level_create(
            actor=administrator,
            access=access,
            organisation=organisation,
            name=f"Nivå {number}",
            rank=10 + number,
        )
        services.role_create(
            actor=administrator, access=access, organisation=organisation, name=f"Roll {number}"
        )

    assert counts() == small


@pytest.mark.parametrize(
    ("persona", "shown"), [("administrator", True), ("same_unit", False), ("auditor", False)]
)
def test_the_navigation_links_the_organisation_settings_only_for_administrators(
    request, client, home_care_north, persona, shown
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get("/").content.decode()

    assert ('href="/organisation/"' in page) is shown
