"""The indicator pages: readers see, writers write; forms, corrections, narratives and the import flow."""

from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.audit.models import AuditEvent
from tillit.chain.access import Access
from tillit.indicators.models import Indicator, Narrative, Observation, ObservationImport, PhaseChange
from tillit.indicators.services import ObservationInput, observations_record

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, unit, name: str, text: str, encoding: str = "utf-8"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(f"/units/{unit.pk}/import/", {"file": file})


INDICATOR_FORM = {
    "name": "Test: besök i tid",
    "definition": "Andel besök som började inom 15 minuter från planerad tid.",
    "purpose_link": "Att komma när vi sagt",
    "data_type": "proportion",
    "direction": "up",
    "frequency": "month",
    "measure_label": "besök",
    "scale": "100",
    "origin": "external",
    "required_by": "Vård- och omsorgsnämnden",
}


# --- Indicators -----------------------------------------------------------------------------------


def test_readers_see_the_list_without_management_and_writers_get_the_buttons(
    client, politician, same_unit, falls, home_care_north
):
    client.force_login(politician)
    reader = client.get(f"/units/{home_care_north.pk}/indicators/").content.decode()
    client.force_login(same_unit)
    writer = client.get(f"/units/{home_care_north.pk}/indicators/").content.decode()

    assert falls.name in reader
    assert "New indicator" not in reader
    assert "New indicator" in writer
    assert "Import data from a file" in writer


def test_writer_creates_an_indicator_from_the_form(client, same_unit, home_care_north):
    client.force_login(same_unit)

    response = client.post(f"/units/{home_care_north.pk}/indicators/new/", INDICATOR_FORM)

    indicator = Indicator.objects.get(unit=home_care_north, name="Test: besök i tid")
    assert response.status_code == 302
    assert response["Location"] == indicator.get_absolute_url()
    assert (indicator.scale, indicator.required_by, indicator.created_by) == (
        100.0,
        "Vård- och omsorgsnämnden",
        same_unit,
    )


def test_the_form_shows_the_services_reason_on_its_field(client, same_unit, home_care_north):
    client.force_login(same_unit)

    response = client.post(
        f"/units/{home_care_north.pk}/indicators/new/", INDICATOR_FORM | {"required_by": ""}
    )

    assert response.status_code == 200
    assert "Say who requires this data from outside the unit." in response.content.decode()
    assert not Indicator.objects.filter(name="Test: besök i tid").exists()


def test_a_politician_above_reads_but_cannot_create(client, politician, home_care_north):
    client.force_login(politician)

    assert client.get(f"/units/{home_care_north.pk}/indicators/").status_code == 200
    assert client.post(f"/units/{home_care_north.pk}/indicators/new/", INDICATOR_FORM).status_code == 403
    assert not Indicator.objects.filter(name="Test: besök i tid").exists()


def test_indicator_page_shows_its_description_origin_data_and_corrections(
    client, same_unit, colleague, satisfaction
):
    observations_record(
        actor=same_unit,
        access=Access.system(),
        indicator=satisfaction,
        rows=[ObservationInput(date(2024, 1, 1), 4.1)],
        source="form",
    )
    observations_record(
        actor=colleague,
        access=Access.system(),
        indicator=satisfaction,
        rows=[ObservationInput(date(2024, 1, 1), 4.3)],
        source="import",
    )
    client.force_login(colleague)

    page = client.get(satisfaction.get_absolute_url()).content.decode()

    assert satisfaction.definition in page
    assert "Required from outside, by Socialstyrelsen" in page
    assert "2024-Q1" in page
    assert "4.1 → 4.3" in page
    assert "by Aino Korhonen (File import)" in page


def test_proportions_show_their_parts_and_the_scaled_share(client, same_unit, continuity):
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=continuity,
        rows=[ObservationInput(date(2024, 1, 1), 45, 60)],
        source="demo",
    )
    client.force_login(same_unit)

    assert "45 / 60 (75.0 %)" in client.get(continuity.get_absolute_url()).content.decode()


def test_the_indicator_page_uses_a_fixed_number_of_queries(client, same_unit, falls):
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2019, 1, 1), 1)],
        source="demo",
    )
    client.force_login(same_unit)
    client.get(falls.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(falls.get_absolute_url())
    rows = [ObservationInput(date(2020 + i // 12, i % 12 + 1, 1), i % 5) for i in range(48)]
    observations_record(actor=None, access=Access.system(), indicator=falls, rows=rows, source="demo")
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(r.period, r.value + 1) for r in rows],
        source="demo",
    )
    with CaptureQueriesContext(connection) as many:
        client.get(falls.get_absolute_url())

    assert len(many.captured_queries) == len(few.captured_queries)


def test_edit_keeps_the_data_type_once_data_exists(client, same_unit, falls):
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2024, 1, 1), 2)],
        source="demo",
    )
    client.force_login(same_unit)
    form = {
        "name": "Test: fall (alla)",
        "definition": falls.definition,
        "purpose_link": falls.purpose_link,
        "data_type": "measurement",  # disabled on the form: the stored value is kept
        "direction": "down",
        "frequency": "week",
        "scale": "1",
        "origin": "unit",
    }

    response = client.post(f"/indicators/{falls.pk}/edit/", form)

    falls.refresh_from_db()
    assert response.status_code == 302
    assert (falls.name, falls.data_type, falls.frequency) == ("Test: fall (alla)", "count", "month")


def test_retire_keeps_the_data_and_hides_the_write_buttons(client, same_unit, falls):
    client.force_login(same_unit)

    assert client.get(f"/indicators/{falls.pk}/retire/").status_code == 200
    response = client.post(f"/indicators/{falls.pk}/retire/")

    falls.refresh_from_db()
    assert response.status_code == 302
    assert falls.retired_at is not None
    page = client.get(falls.get_absolute_url()).content.decode()
    assert "Enter a value" not in page
    assert client.get(f"/indicators/{falls.pk}/record/").status_code == 403


# --- Entering and correcting one value -------------------------------------------------------------


def test_entering_a_value_with_a_decimal_comma(client, same_unit, satisfaction):
    client.force_login(same_unit)

    response = client.post(
        f"/indicators/{satisfaction.pk}/record/",
        {"period": "2024-KV2", "value": "4,25", "comment": "Ny enkät"},
    )

    assert response.status_code == 302
    observation = Observation.objects.get(indicator=satisfaction)
    assert (observation.period, observation.value, observation.comment) == (
        date(2024, 4, 1),
        4.25,
        "Ny enkät",
    )


def test_correcting_a_value_keeps_the_earlier_one_in_its_history(client, same_unit, falls):
    observations_record(
        actor=None,
        access=Access.system(),
        indicator=falls,
        rows=[ObservationInput(date(2024, 1, 1), 2)],
        source="demo",
    )
    client.force_login(same_unit)

    form = client.get(f"/indicators/{falls.pk}/record/?period=2024-01").content.decode()
    client.post(f"/indicators/{falls.pk}/record/", {"period": "2024-01", "value": "3"})

    assert 'value="2"' in form
    observation = Observation.objects.get(indicator=falls)
    change = observation.changes.get()
    assert (observation.value, change.value_before, change.changed_by, change.source) == (
        3.0,
        2.0,
        same_unit,
        "form",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"period": "2024-13", "value": "3"}, "2024-13 is not a valid date."),
        (
            {"period": "2024-Q1", "value": "3"},
            "2024-Q1 is a quarter, but the indicator is followed per month.",
        ),
        ({"period": "2024-01", "value": "tre"}, "tre is not a number."),
        ({"period": "2024-01", "value": "-1"}, "A count is a whole number of zero or more, not -1."),
        ({"period": "2999-01", "value": "1"}, "The period 2999-01 has not started yet."),
    ],
)
def test_a_wrong_value_is_refused_with_its_reason(client, same_unit, falls, data, reason):
    client.force_login(same_unit)

    response = client.post(f"/indicators/{falls.pk}/record/", data)

    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Observation.objects.filter(indicator=falls).exists()


def test_a_proportion_asks_for_numerator_and_denominator(client, same_unit, continuity):
    client.force_login(same_unit)

    page = client.get(f"/indicators/{continuity.pk}/record/").content.decode()
    response = client.post(
        f"/indicators/{continuity.pk}/record/", {"period": "2024-01", "value": "9", "denominator": "8"}
    )

    assert "Numerator" in page
    assert "Denominator" in page
    assert "The numerator 9 is larger than the denominator 8." in response.content.decode()


# --- Phase changes and narratives ------------------------------------------------------------------


def test_phase_change_is_recorded_and_removed(client, same_unit, falls):
    client.force_login(same_unit)

    client.post(f"/indicators/{falls.pk}/phase-changes/new/", {"period": "2024-03", "label": "Nya turlistor"})
    phase = PhaseChange.objects.get(indicator=falls)
    assert "Nya turlistor" in client.get(falls.get_absolute_url()).content.decode()
    client.post(f"/phase-changes/{phase.pk}/delete/")

    assert not PhaseChange.objects.filter(indicator=falls).exists()
    assert list(
        AuditEvent.objects.filter(target_type="indicators.phasechange", target_id=phase.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["phase_change.created", "phase_change.deleted"]


def test_narrative_is_written_corrected_and_audited_with_before_and_after(
    client, same_unit, colleague, home_care_north
):
    client.force_login(same_unit)
    client.post(
        f"/units/{home_care_north.pk}/narrative/", {"period": "2024-03", "text": "Fler fall i mars: halka."}
    )
    client.force_login(colleague)
    client.post(
        f"/units/{home_care_north.pk}/narrative/",
        {"period": "2024-03", "text": "Halka, och två nya kollegor."},
    )

    narrative = Narrative.objects.get(unit=home_care_north, period=date(2024, 3, 1))
    assert (narrative.text, narrative.author) == ("Halka, och två nya kollegor.", colleague)
    last = AuditEvent.objects.filter(action="narrative.written", target_id=narrative.pk).order_by("pk").last()
    assert last.before["text"] == "Fler fall i mars: halka."
    assert last.after["text"] == "Halka, och två nya kollegor."
    assert (
        "Halka, och två nya kollegor."
        in client.get(f"/units/{home_care_north.pk}/indicators/").content.decode()
    )


# --- Import flow ----------------------------------------------------------------------------------


def test_a_broken_file_shows_every_problem_line_by_line_and_cannot_be_applied(
    client, same_unit, falls, home_care_north
):
    client.force_login(same_unit)

    response = upload(
        client,
        home_care_north,
        "trasig.csv",
        f"indikator;period;värde\n{falls.name};2024-01;3\n{falls.name};2024-02;x\nOkänd;2024-01;1\n",
    )
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "The file cannot be applied: 2 problems" in page
    assert '<th scope="row">3</th><td>x is not a number.</td>' in page
    assert '<th scope="row">4</th><td>The unit has no indicator called Okänd.</td>' in page
    assert "Apply the file" not in page
    observation_import = ObservationImport.objects.get(unit=home_care_north, filename="trasig.csv")
    assert client.post(f"/imports/{observation_import.pk}/apply/").status_code == 302
    assert not Observation.objects.filter(indicator=falls).exists()


def test_a_good_file_is_previewed_then_applied_and_the_same_file_again_changes_nothing(
    client, same_unit, falls, continuity, home_care_north
):
    text = (
        "indikator;period;värde;nämnare;kommentar\n"
        f"{falls.name};2024-01;3;;\n"
        f"{falls.name};2024-02;5;;Halt väglag\n"
        f"{continuity.name};2024-01;40;50;\n"
    )
    client.force_login(same_unit)

    preview = client.get(
        upload(client, home_care_north, "bra.csv", text, "cp1252")["Location"]
    ).content.decode()
    observation_import = ObservationImport.objects.get(unit=home_care_north, filename="bra.csv")
    assert "Apply the file" in preview
    assert Observation.objects.filter(indicator__in=[falls, continuity]).count() == 0

    result = client.post(f"/imports/{observation_import.pk}/apply/")
    result_page = client.get(result["Location"]).content.decode()
    assert "Applied" in result_page
    assert Observation.objects.filter(indicator__in=[falls, continuity]).count() == 3

    again = client.get(
        upload(client, home_care_north, "bra.csv", text, "cp1252")["Location"]
    ).content.decode()
    assert "applying it would change nothing" in again
    assert "The same file was applied on" in again
    assert "Apply the file" not in again


def test_an_oversized_upload_is_refused_on_the_form(client, same_unit, home_care_north):
    client.force_login(same_unit)

    response = upload(client, home_care_north, "stor.csv", "x" * (5 * 1024 * 1024 + 1))

    assert response.status_code == 200
    assert "The file is larger than 5 MB." in response.content.decode()
    assert not ObservationImport.objects.filter(unit=home_care_north).exists()


def test_the_template_names_the_units_active_indicators(
    client, same_unit, falls, satisfaction, home_care_north
):
    client.force_login(same_unit)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    response = client.get(f"/units/{home_care_north.pk}/import/template.csv")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert lines[0] == "indikator;period;värde;nämnare;kommentar"
    assert {line.split(";")[0] for line in lines[1:]} >= {falls.name, satisfaction.name}


def test_another_writer_cannot_apply_from_outside_the_unit(
    client, other_branch, same_unit, falls, home_care_north
):
    client.force_login(same_unit)
    upload(client, home_care_north, "a.csv", f"indikator;period;värde\n{falls.name};2024-01;3\n")
    observation_import = ObservationImport.objects.get(unit=home_care_north, filename="a.csv")
    client.force_login(other_branch)

    assert client.get(f"/imports/{observation_import.pk}/").status_code == 404
    assert client.post(f"/imports/{observation_import.pk}/apply/").status_code == 404
    assert not Observation.objects.filter(indicator=falls).exists()


def test_a_file_wrong_on_every_line_shows_the_first_500_problems_and_counts_the_rest(
    client, same_unit, falls, home_care_north
):
    client.force_login(same_unit)
    text = "indikator;period;värde\n" + f"{falls.name};2024-01;x\n" * 600

    page = client.get(upload(client, home_care_north, "fel.csv", text)["Location"]).content.decode()

    assert "The file cannot be applied: 600 problems" in page
    assert page.count("x is not a number.") == 500
    assert "And 100 more problems further down in the file." in page


def test_problems_reach_the_person_in_swedish_by_default(client, same_unit, falls, home_care_north):
    from django.utils import translation
    from django.utils.translation import gettext

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    client.force_login(same_unit)
    with translation.override("sv"):
        expected = gettext("The unit has no indicator called %(name)s.") % {"name": "Okänd"}

    page = client.get(
        upload(client, home_care_north, "a.csv", "indikator;period;värde\nOkänd;2024-01;1\n")["Location"]
    )

    assert expected in page.content.decode()
