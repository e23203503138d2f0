"""The register's pages: reading, the import flow (upload → preview → apply), the search and its answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.delegation.factories import SMALL_REGISTER, csv_file
from tillit.chain.models import Membership
from tillit.delegation.models import DelegationRegister, RegisterImport, RegisterVersion

pytestmark = pytest.mark.integration


def von():
    return DelegationRegister.objects.get(unit__name="Vård- och omsorgsnämnden")


def test_everyone_in_the_organisation_reads_the_register_grouped_by_ärendegrupp(client, other_branch):
    client.force_login(other_branch)

    html = client.get(f"/delegation/registers/{von().pk}/").content.decode()

    assert "<caption>Bistånd enligt socialtjänstlagen</caption>" in html
    assert "<caption>Ekonomi och upphandling</caption>" in html
    assert "Beslut om bistånd i form av hemtjänst" in html
    assert "VON 2026-03-12 § 34" in html
    assert "VON 2024-02-15 § 12" in html  # the history
    assert "Importera en ny version" not in html  # Leila does not manage the nämnd


def test_the_list_shows_both_registers_with_their_version_in_force(client, colleague):
    client.force_login(colleague)

    html = client.get("/delegation/").content.decode()

    assert "Delegationsordning för vård- och omsorgsnämnden" in html
    assert "Delegationsordning för barn- och utbildningsnämnden" in html
    assert "Skapa en delegationsordning" not in html  # Aino manages nothing


def test_a_version_shows_what_changed_from_the_one_before(client, colleague):
    client.force_login(colleague)
    version = RegisterVersion.objects.get(register=von(), number=2)

    html = client.get(f"/delegation/versions/{version.pk}/").content.decode()

    assert "Tillagt: 1 ärende" in html
    assert "Borttaget: 1 ärende" in html
    assert "Ändrat: 2 ärenden" in html
    assert "Beslut om ändrade rutiner för dokumentation i verksamhetssystemet" in html
    assert "Beslut om bistånd i form av matdistribution" in html


def test_a_version_downloads_as_a_file_that_imports_again(client, colleague):
    client.force_login(colleague)
    version = RegisterVersion.objects.get(register=von(), in_force=True)

    response = client.get(f"/delegation/versions/{version.pk}/csv/")

    assert response["Content-Type"].startswith("text/csv")
    assert "Beslut om bistånd i form av hemtjänst;Biståndshandläggare" in response.content.decode("utf-8-sig")


def test_the_template_downloads_with_swedish_columns(client, colleague):
    client.force_login(colleague)

    response = client.get("/delegation/template.csv")

    assert response.content.decode("utf-8-sig").startswith(
        "Nr;Ärendegrupp;Ärende;Delegat;Lagrum;Vidaredelegering"
    )


def test_the_administrator_uploads_previews_and_adopts_a_new_version(client, administrator):
    client.force_login(administrator)
    register = von()
    current = (RegisterVersion.objects.get(register=register, in_force=True)).entries.count()
    download = client.get(f"/delegation/versions/{register.versions.get(in_force=True).pk}/csv/").content
    changed = download.decode("utf-8-sig").replace("upp till 100 000 kr", "upp till 150 000 kr").encode()

    upload = client.post(
        f"/delegation/registers/{register.pk}/import/", {"file": SimpleUploadedFile("von.csv", changed)}
    )
    register_import = RegisterImport.objects.filter(register=register).first()
    preview = client.get(upload["Location"]).content.decode()
    applied = client.post(
        f"/delegation/imports/{register_import.pk}/apply/",
        {"decision": "VON 2026-11-19 § 71", "adopted_on": "2026-11-19"},
    )

    assert upload["Location"] == f"/delegation/imports/{register_import.pk}/"
    assert "Ändrat: 1 ärende" in preview
    assert "Inköp av varor och tjänster inom enhetens budget upp till 150 000 kr" in preview
    assert applied["Location"] == f"/delegation/registers/{register.pk}/"
    version = RegisterVersion.objects.get(register=register, in_force=True)
    assert (version.number, version.decision, version.entries.count()) == (3, "VON 2026-11-19 § 71", current)


def test_applying_without_a_decision_shows_the_form_again(client, administrator):
    client.force_login(administrator)
    register_import = RegisterImport.objects.create(
        organisation=administrator.organisation,
        register=von(),
        filename="r.csv",
        content=SMALL_REGISTER,
        uploaded_by=administrator,
    )

    response = client.post(f"/delegation/imports/{register_import.pk}/apply/", {"adopted_on": "2026-11-19"})

    assert response.status_code == 200
    assert 'id="id_decision_error"' in response.content.decode()
    assert RegisterVersion.objects.filter(register=von()).count() == 2


def test_a_file_with_problems_lists_them_and_offers_no_adoption(client, administrator):
    client.force_login(administrator)
    content = csv_file("1;Personal;;Enhetschef;;nej;;;", "1;Personal;Ledighet;Enhetschef;;kanske;;;")

    upload = client.post(
        f"/delegation/registers/{von().pk}/import/", {"file": SimpleUploadedFile("bad.csv", content)}
    )
    html = client.get(upload["Location"]).content.decode()

    assert "Filen kan inte antas: 3 problem" in html
    assert "Ärendet saknas." in html
    assert "Nr 1 används redan på rad 2." in html
    assert "Anta som ny version" not in html


def test_the_same_file_again_says_it_would_adopt_nothing(client, administrator):
    client.force_login(administrator)
    in_force = von().versions.get(in_force=True)
    same = client.get(f"/delegation/versions/{in_force.pk}/csv/").content

    upload = client.post(
        f"/delegation/registers/{von().pk}/import/", {"file": SimpleUploadedFile("same.csv", same)}
    )
    html = client.get(upload["Location"]).content.decode()

    assert "Filen säger exakt det som versionen i kraft säger" in html
    assert "Anta som ny version" not in html


def test_a_manager_of_another_unit_may_not_import_into_the_nämnds_register(client, same_unit):
    client.force_login(same_unit)

    assert client.get(f"/delegation/registers/{von().pk}/import/").status_code == 403


def test_a_manager_creates_a_register_for_their_unit(client, same_unit, home_care_north):
    client.force_login(same_unit)

    form = client.get("/delegation/new/").content.decode()
    response = client.post(
        "/delegation/new/", {"unit": home_care_north.pk, "name": "Delegationsordning Norr"}
    )

    register = DelegationRegister.objects.get(unit=home_care_north)
    assert "Vård- och omsorgsnämnden" not in form  # not his to give a register
    assert response["Location"] == f"/delegation/registers/{register.pk}/import/"


def test_the_search_answers_with_the_function_the_people_and_the_rule(client, colleague):
    client.force_login(colleague)

    html = client.get(
        "/delegation/search/", {"q": "vem kan besluta om bistånd till hemtjänst?"}
    ).content.decode()

    first = html.split('<li class="card">')[1]
    assert "<h3>Beslut om bistånd i form av hemtjänst</h3>" in first
    assert "Biståndshandläggare" in first
    assert "4 kap. 1 § SoL" in first
    assert "Månadsvis till nämnden" in first
    assert "VON 2026-03-12 § 34" in first
    holders = Membership.objects.filter(
        organisation=colleague.organisation, title="Biståndshandläggare", ended_at__isnull=True
    ).select_related("person")
    assert len(holders) == 3
    for membership in holders:
        # Biståndsenheten is outside Aino's chain: the names are shown, their pages are not hers to read.
        assert f"{membership.person.full_name}, Biståndshandläggare, Biståndsenheten" in first
        assert reverse("chain:person-detail", args=[membership.person_id]) not in first


def test_the_holders_in_the_askers_chain_link_to_their_page(client, colleague, same_unit):
    client.force_login(colleague)

    html = client.get("/delegation/search/", {"q": "schemaläggning arbetstid"}).content.decode()

    first = html.split('<li class="card">')[1]
    assert f'<a href="{reverse("chain:person-detail", args=[same_unit.pk])}">Johan Nyström</a>' in first


def test_the_search_answers_htmx_with_the_results_only(client, colleague):
    client.force_login(colleague)

    html = client.get(
        "/delegation/search/", {"q": "skolskjuts"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "<html" not in html
    assert "Beslut om skolskjuts för elev i grundskolan" in html


def test_the_navigation_links_to_the_search(client, colleague):
    client.force_login(colleague)

    assert 'href="/delegation/search/"' in client.get("/").content.decode()


def test_the_nämnds_unit_page_links_to_its_register(client, politician):
    client.force_login(politician)
    register = von()

    html = client.get(f"/units/{register.unit_id}/").content.decode()

    assert (
        f'<a href="/delegation/registers/{register.pk}/">Delegationsordning för vård- och omsorgsnämnden</a>'
        in html
    )
