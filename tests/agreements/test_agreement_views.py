"""The trust agreement pages and API: who sees what, the draft form, actions and the unit page."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.agreements.factories import indicator, person, signed_agreement
from tests.conftest import unit
from tillit.agreements import selectors, services
from tillit.agreements.models import AgreementState, BoundaryReport
from tillit.agreements.services import BoundaryInput
from tillit.chain.access import Access

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("without_agreements")]


@pytest.fixture
def sofia(db):
    return person("sofia.lindberg@exempelby.se")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def in_force(same_unit, sofia, home_care_north):
    falls = indicator(home_care_north)
    return signed_agreement(
        unit=home_care_north,
        unit_signer=same_unit,
        upper_signer=sofia,
        boundaries=[
            BoundaryInput(kind="indicator", indicator=falls, low=1, high=12.5),
            BoundaryInput(kind="qualitative", description="Ett besök uteblir utan besked"),
        ],
    )


def _form_data(version, **overrides):
    data = {
        "purpose": "Trygghet hemma.",
        "review_date": (timezone.localdate() + timedelta(days=200)).isoformat(),
        "mandate_items": "Hur vi planerar dagens besök\n\nVilka som går till vem\n",
        "indicator_boundaries-TOTAL_FORMS": "2",
        "indicator_boundaries-INITIAL_FORMS": "0",
        "qualitative_boundaries-TOTAL_FORMS": "2",
        "qualitative_boundaries-INITIAL_FORMS": "0",
        "qualitative_boundaries-0-description": "Ett besök uteblir utan besked",
        "promises-TOTAL_FORMS": "2",
        "promises-INITIAL_FORMS": "0",
        "promises-0-text": "Vi svarar på hinder",
        "promises-0-response_working_days": "10",
    }
    return data | overrides


def test_the_agreement_page_shows_the_version_in_force_to_everyone_who_reads_the_unit(
    client, english, politician, in_force, home_care_north
):
    client.force_login(politician)

    response = client.get(f"/units/{home_care_north.pk}/agreement/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Trust agreement of Hemtjänst Norr" in body
    assert "Hur vi planerar dagens besök" in body
    assert "Fall per 1000 besöksdagar" in body
    assert "12.5" in body  # the upper off-limits value
    assert "Ett besök uteblir utan besked" in body
    assert "Vi svarar på hinder" in body
    assert "Signed by Johan Nyström" in body
    assert "Signed by Sofia Lindberg" in body
    # Karin reads it but speaks for neither unit: no buttons to start a version.
    assert "Start a new version" not in body


def test_the_agreement_page_reads_a_constant_number_of_queries(
    client, same_unit, in_force, home_care_north, django_assert_max_num_queries
):
    client.force_login(same_unit)
    url = f"/units/{home_care_north.pk}/agreement/"
    client.get(url)

    with django_assert_max_num_queries(16):
        response = client.get(url)

    assert response.status_code == 200


def test_the_manager_starts_a_draft_and_is_taken_to_the_form(client, same_unit, home_care_north):
    client.force_login(same_unit)

    response = client.post(f"/units/{home_care_north.pk}/agreement/new-version/")

    version = selectors.agreement_version_open(unit=home_care_north)
    assert response.status_code == 302
    assert response["Location"] == f"/agreement-versions/{version.pk}/edit/"


def test_the_draft_form_saves_lists_and_accepts_a_decimal_comma(client, same_unit, home_care_north):
    falls = indicator(home_care_north)
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    client.force_login(same_unit)

    response = client.post(
        f"/agreement-versions/{draft.pk}/edit/",
        _form_data(
            draft,
            **{
                "indicator_boundaries-0-indicator": str(falls.pk),
                "indicator_boundaries-0-low": "2,5",
                "indicator_boundaries-0-high": "1 000",
            },
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert [i.text for i in draft.mandate_items.all()] == [
        "Hur vi planerar dagens besök",
        "Vilka som går till vem",
    ]
    assert [(b.kind, b.low, b.high) for b in draft.boundaries.all()] == [
        ("indicator", 2.5, 1000.0),
        ("qualitative", None, None),
    ]
    assert [(p.text, p.response_working_days) for p in draft.support_promises.all()] == [
        ("Vi svarar på hinder", 10)
    ]


def test_the_draft_form_reads_the_indicators_once_however_many_boundary_rows(
    client, same_unit, home_care_north
):
    indicators = [indicator(home_care_north, name=f"Indikator {i}") for i in range(6)]
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    client.force_login(same_unit)
    url = f"/agreement-versions/{draft.pk}/edit/"

    def rows(count):
        # As the page posts them: the rows already saved are the formsets' initial forms.
        saved = {kind: draft.boundaries.filter(kind=kind).count() for kind in ("indicator", "qualitative")}
        data = {
            "indicator_boundaries-TOTAL_FORMS": str(count),
            "indicator_boundaries-INITIAL_FORMS": str(min(saved["indicator"], count)),
            "qualitative_boundaries-INITIAL_FORMS": str(saved["qualitative"]),
        }
        for i, chosen in enumerate(indicators[:count]):
            data |= {
                f"indicator_boundaries-{i}-indicator": str(chosen.pk),
                f"indicator_boundaries-{i}-high": "5",
            }
        return _form_data(draft, **data)

    def queries(method, *args):
        with CaptureQueriesContext(connection) as captured:
            response = method(url, *args)
        assert response.status_code in (200, 302)
        return len(captured)

    client.post(url, rows(1))
    get_one, post_one = queries(client.get), queries(client.post, rows(1))
    client.post(url, rows(6))
    get_six, post_six = queries(client.get), queries(client.post, rows(6))

    assert [b.indicator_id for b in draft.boundaries.filter(kind="indicator")] == [i.pk for i in indicators]
    assert (get_six, post_six) == (get_one, post_one)


def test_the_draft_form_shows_a_service_error_and_keeps_the_input(
    client, english, same_unit, home_care_north
):
    falls = indicator(home_care_north)
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    client.force_login(same_unit)

    response = client.post(
        f"/agreement-versions/{draft.pk}/edit/",
        _form_data(
            draft,
            **{
                "indicator_boundaries-0-indicator": str(falls.pk),
                "indicator_boundaries-0-low": "9",
                "indicator_boundaries-0-high": "2",
            },
        ),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "For Fall per 1000 besöksdagar the lower off-limits value must be below the upper one." in body
    assert 'value="9"' in body
    assert draft.boundaries.count() == 0


def test_a_value_that_is_not_a_number_is_explained_at_the_field(client, english, same_unit, home_care_north):
    falls = indicator(home_care_north)
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    client.force_login(same_unit)

    response = client.post(
        f"/agreement-versions/{draft.pk}/edit/",
        _form_data(
            draft,
            **{"indicator_boundaries-0-indicator": str(falls.pk), "indicator_boundaries-0-high": "tolv"},
        ),
    )

    assert response.status_code == 200
    assert "Write the value as a number, e.g. 2,5." in response.content.decode()


def test_a_removed_row_is_removed(client, same_unit, in_force, home_care_north):
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    client.force_login(same_unit)
    form = client.get(f"/agreement-versions/{draft.pk}/edit/").content.decode()

    data = _form_data(
        draft,
        **{
            "indicator_boundaries-TOTAL_FORMS": "3",
            "indicator_boundaries-INITIAL_FORMS": "1",
            "indicator_boundaries-0-indicator": str(in_force.boundaries.get(kind="indicator").indicator_id),
            "indicator_boundaries-0-high": "12,5",
            "indicator_boundaries-0-DELETE": "on",
            "qualitative_boundaries-INITIAL_FORMS": "1",
            "promises-INITIAL_FORMS": "1",
        },
    )
    response = client.post(f"/agreement-versions/{draft.pk}/edit/", data)

    assert 'value="12,5"' in form  # the copied boundary is shown with a decimal comma in Swedish
    assert response.status_code == 302
    assert [b.kind for b in draft.boundaries.all()] == ["qualitative"]


def test_propose_and_sign_through_the_pages(client, same_unit, sofia, home_care_north):
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit,
        access=Access.system(),
        version=draft,
        review_date=timezone.localdate() + timedelta(days=300),
        mandate_items=["Hur vi planerar dagens besök"],
    )
    client.force_login(same_unit)
    proposed = client.post(f"/agreement-versions/{draft.pk}/propose/")
    signed_once = client.post(f"/agreement-versions/{draft.pk}/sign/")
    client.force_login(sofia)
    page = client.get(f"/agreement-versions/{draft.pk}/").content.decode()
    signed_twice = client.post(f"/agreement-versions/{draft.pk}/sign/")

    draft.refresh_from_db()
    assert proposed.status_code == signed_once.status_code == 302
    assert f'action="/agreement-versions/{draft.pk}/sign/"' in page
    assert signed_twice["Location"] == f"/units/{home_care_north.pk}/agreement/"
    assert draft.state == AgreementState.SIGNED


def test_the_version_page_offers_no_signing_to_someone_who_has_signed(client, same_unit, home_care_north):
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit,
        access=Access.system(),
        version=draft,
        review_date=timezone.localdate() + timedelta(days=300),
        mandate_items=["Hur vi planerar dagens besök"],
    )
    services.agreement_propose(actor=same_unit, access=Access.system(), version=draft)
    services.agreement_sign(actor=same_unit, access=Access.system(), version=draft)
    client.force_login(same_unit)

    page = client.get(f"/agreement-versions/{draft.pk}/").content.decode()

    assert f"/agreement-versions/{draft.pk}/sign/" not in page


def test_a_refused_action_is_explained_on_the_version_page(client, english, same_unit, home_care_north):
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(actor=same_unit, access=Access.system(), version=draft, purpose="")
    client.force_login(same_unit)

    response = client.post(f"/agreement-versions/{draft.pk}/propose/", follow=True)

    body = response.content.decode()
    assert "Write the purpose before proposing the agreement." in body
    assert "Set a review date before proposing the agreement." in body


def test_staff_read_and_comment_but_get_403_on_the_form(client, colleague, same_unit, home_care_north):
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    client.force_login(colleague)

    page = client.get(f"/agreement-versions/{draft.pk}/")
    form = client.get(f"/agreement-versions/{draft.pk}/edit/")
    comment = client.post(f"/agreement-versions/{draft.pk}/comment/", {"text": "Helgerna?"})
    propose = client.post(f"/agreement-versions/{draft.pk}/propose/")

    assert (page.status_code, form.status_code, comment.status_code, propose.status_code) == (
        200,
        403,
        302,
        403,
    )
    assert [c.text for c in draft.comments.all()] == ["Helgerna?"]


def test_a_unit_outside_the_chain_answers_404_on_every_agreement_page(
    client, other_branch, other_organisation, in_force, home_care_north
):
    boundary = in_force.boundaries.get(kind="qualitative")
    urls = [
        f"/units/{home_care_north.pk}/agreement/",
        f"/units/{home_care_north.pk}/agreement/versions/",
        f"/agreement-versions/{in_force.pk}/",
        f"/agreement-versions/{in_force.pk}/changes/",
        f"/boundaries/{boundary.pk}/report/",
        f"/api/v1/units/{home_care_north.pk}/agreement",
        f"/api/v1/agreement-versions/{in_force.pk}",
    ]
    for outsider in (other_branch, other_organisation):
        client.force_login(outsider)
        assert [client.get(url).status_code for url in urls] == [404] * len(urls)


def test_the_changes_page_marks_added_and_removed_text_in_words(
    client, english, same_unit, in_force, home_care_north
):
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit, access=Access.system(), version=draft, mandate_items=["Hur vi planerar helgerna"]
    )
    client.force_login(same_unit)

    response = client.get(f"/agreement-versions/{draft.pk}/changes/")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<del><span class="diff-marker">removed:</span> dagens besök</del>' in body
    assert '<ins><span class="diff-marker">added:</span> helgerna</ins>' in body
    assert "Changed:" in body


def test_the_changes_page_compares_with_a_chosen_version_of_the_same_agreement_only(
    client, same_unit, sofia, in_force, home_care_north
):
    other = signed_agreement(
        unit=unit("Hemtjänst Söder"), unit_signer=_manager("Hemtjänst Söder"), upper_signer=sofia
    )
    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    client.force_login(same_unit)

    chosen = client.get(f"/agreement-versions/{draft.pk}/changes/?against={in_force.pk}")
    foreign = client.get(f"/agreement-versions/{draft.pk}/changes/?against={other.pk}")
    first = client.get(f"/agreement-versions/{in_force.pk}/changes/?against=")

    assert chosen.status_code == 200
    assert foreign.status_code == 404
    assert first.status_code == 200


def _manager(unit_name):
    from tillit.chain.models import Membership

    return Membership.objects.get(unit=unit(unit_name), role__can_manage=True, ended_at__isnull=True).person


def test_a_staff_member_reports_that_a_boundary_was_crossed(client, colleague, in_force, home_care_north):
    boundary = in_force.boundaries.get(kind="qualitative")
    client.force_login(colleague)

    form = client.get(f"/boundaries/{boundary.pk}/report/")
    response = client.post(
        f"/boundaries/{boundary.pk}/report/",
        {"occurred_on": timezone.localdate().isoformat(), "description": "Ett besök uteblev i tisdags."},
    )
    page = client.get(f"/units/{home_care_north.pk}/agreement/").content.decode()

    assert form.status_code == 200
    assert response.status_code == 302
    assert BoundaryReport.objects.get(boundary=boundary).reported_by == colleague
    assert "1 gång" in page


def test_an_indicator_boundary_has_no_report_form(client, colleague, in_force):
    client.force_login(colleague)

    response = client.get(f"/boundaries/{in_force.boundaries.get(kind='indicator').pk}/report/")

    assert response.status_code == 404


def test_an_auditor_reads_the_agreement_but_does_not_report(client, auditor, in_force, home_care_north):
    boundary = in_force.boundaries.get(kind="qualitative")
    client.force_login(auditor)

    page = client.get(f"/units/{home_care_north.pk}/agreement/")
    report = client.get(f"/boundaries/{boundary.pk}/report/")

    assert page.status_code == 200
    assert f"/boundaries/{boundary.pk}/report/" not in page.content.decode()
    assert report.status_code == 403


def test_the_unit_page_section_shows_the_agreement_and_an_overdue_review_on_both_units(
    client, english, same_unit, sofia, in_force, home_care_north
):
    in_force.review_date = timezone.localdate() - timedelta(days=3)
    in_force.save(update_fields=["review_date"])
    client.force_login(sofia)

    own = client.get(f"/units/{home_care_north.pk}/").content.decode()
    above = client.get(f"/units/{home_care_north.parent_id}/").content.decode()

    assert '<h2 id="agreement-heading">Trust agreement</h2>' in own
    assert "The agreement with Hemtjänsten is in force: version 1" in own
    assert "has passed: time to look at it together again" in own
    assert "Agreements with the units below past their review date" in above
    assert f'href="/units/{home_care_north.pk}/agreement/">Hemtjänst Norr</a>' in above


def test_the_api_gives_the_version_in_force_and_the_open_version(
    client, colleague, in_force, home_care_north
):
    draft = services.agreement_draft(
        actor=_manager("Hemtjänst Norr"), access=Access.system(), unit=home_care_north
    )
    client.force_login(colleague)

    agreement = client.get(f"/api/v1/units/{home_care_north.pk}/agreement").json()
    versions = client.get(f"/api/v1/units/{home_care_north.pk}/agreement/versions").json()
    one = client.get(f"/api/v1/agreement-versions/{in_force.pk}").json()

    assert agreement["upper_unit_id"] == home_care_north.parent_id
    assert agreement["in_force"]["id"] == in_force.pk
    assert agreement["open_version"]["id"] == draft.pk
    assert [b["kind"] for b in agreement["in_force"]["boundaries"]] == ["indicator", "qualitative"]
    assert agreement["in_force"]["boundaries"][0]["indicator_name"] == "Fall per 1000 besöksdagar"
    assert agreement["in_force"]["boundaries"][0]["high"] == 12.5
    assert {s["side"] for s in agreement["in_force"]["signatures"]} == {"unit", "upper"}
    assert [(v["number"], v["state"]) for v in versions] == [(2, "draft"), (1, "signed")]
    assert one["mandate_items"] == ["Hur vi planerar dagens besök"]
    assert one["review_overdue"] is False


def test_the_api_answers_null_where_there_is_no_agreement(client, same_unit, home_care_north):
    client.force_login(same_unit)

    agreement = client.get(f"/api/v1/units/{home_care_north.pk}/agreement").json()
    versions = client.get(f"/api/v1/units/{home_care_north.pk}/agreement/versions").json()

    assert (agreement["in_force"], agreement["open_version"], versions) == (None, None, [])


def test_the_agreement_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {
        "/api/v1/units/{unit_id}/agreement",
        "/api/v1/units/{unit_id}/agreement/versions",
        "/api/v1/agreement-versions/{version_id}",
    } <= set(paths)


def test_a_unit_without_indicators_still_saves_its_draft(client, home_care_north):
    from tillit.chain.models import Membership

    membership = (
        Membership.objects.filter(
            organisation=home_care_north.organisation,
            role__can_manage=True,
            ended_at__isnull=True,
            unit__parent__isnull=False,
            unit__indicators__isnull=True,
        )
        .select_related("unit", "person")
        .order_by("unit__path")
        .first()
    )
    manager = membership.person
    draft = services.agreement_draft(actor=manager, access=Access.system(), unit=membership.unit)
    client.force_login(manager)
    form = client.get(f"/agreement-versions/{draft.pk}/edit/").content.decode()
    data = {
        name: value
        for name, value in _form_data(draft).items()
        if not name.startswith("indicator_boundaries-")
    }
    data |= {"indicator_boundaries-TOTAL_FORMS": "0", "indicator_boundaries-INITIAL_FORMS": "0"}

    response = client.post(f"/agreement-versions/{draft.pk}/edit/", data)

    assert 'name="indicator_boundaries-TOTAL_FORMS"' in form
    assert "indicator_boundaries-0-indicator" not in form
    assert response.status_code == 302
    assert draft.mandate_items.count() == 2


@pytest.mark.parametrize("persona", ["colleague", "other_branch", "other_organisation", "politician"])
def test_valid_agreement_writes_from_people_who_do_not_speak_for_either_side_change_nothing(
    request, client, same_unit, home_care_north, persona
):
    from tillit.audit.models import AuditEvent

    draft = services.agreement_draft(actor=same_unit, access=Access.system(), unit=home_care_north)
    services.agreement_version_update(
        actor=same_unit,
        access=Access.system(),
        version=draft,
        review_date=timezone.localdate() + timedelta(days=300),
        mandate_items=["Hur vi planerar dagens besök"],
    )
    events_before = AuditEvent.objects.count()
    client.force_login(request.getfixturevalue(persona))

    statuses = [
        client.post(f"/agreement-versions/{draft.pk}/edit/", _form_data(draft, purpose="Kapad")).status_code,
        client.post(f"/agreement-versions/{draft.pk}/propose/").status_code,
        client.post(f"/agreement-versions/{draft.pk}/sign/").status_code,
        client.post(f"/units/{home_care_north.pk}/agreement/new-version/").status_code,
    ]

    draft.refresh_from_db()
    assert set(statuses) <= {403, 404}
    assert AuditEvent.objects.count() == events_before
    assert (draft.state, draft.purpose) == (
        AgreementState.DRAFT,
        selectors.purpose_current(unit=home_care_north).statement,
    )
