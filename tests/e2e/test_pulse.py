"""Tillitspuls in the browser: a person opens the invitation link, the page's script moves the code from the
fragment into the form and off the address bar, the person answers and is thanked; a manager reads a closed
pulse's results, shares them upward and prepares the next round. Every page is scanned with axe (WCAG 2.1
AA, zero violations), and no page breaks the strict CSP.

The pulses are built here through the services, inside the live server's database: the invitations go out
with `deliver=`, the only place the codes exist. Selectors are structural, not the words, so the tests hold
whatever the Swedish catalogue says.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tillit.chain.access import Access
from tillit.core.clock import today
from tillit.pulse import services
from tillit.pulse.enums import PulseState
from tillit.pulse.models import Pulse, PulseUnit, Response

from .conftest import ADMINISTRATOR, MANAGER, person, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def pulse_with_codes(*, title: str, asks_free_text: bool = False) -> tuple[Pulse, dict[str, str]]:
    """An open pulse on Hemtjänst Norr, prepared by its manager; e-mail address → code."""
    norr, johan = unit("Hemtjänst Norr"), person(MANAGER)
    system = Access.system(norr.organisation_id)
    pulse = services.pulse_create(
        actor=johan,
        access=system,
        scope=norr,
        title=title,
        closes_on=today() + timedelta(days=14),
        support_referent="HR-stödet",
        asks_free_text=asks_free_text,
    )
    services.pulse_open(actor=johan, access=system, pulse=pulse)
    codes: dict[str, str] = {}
    services.pulse_invitations_send(
        pulse_id=pulse.pk, deliver=lambda someone, code: codes.update({someone.email: code})
    )
    pulse.refresh_from_db()
    return pulse, codes


def no_csp_errors(page) -> list[str]:
    """Collects the console's CSP complaints (an inline style or script would be refused)."""
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return complaints


def report(scanner, capsys, what: str) -> None:
    with capsys.disabled():
        print(  # noqa: T201 -- the page count belongs in the test output
            f"\naxe WCAG 2.1 AA ({what}): {len(scanner.scanned)} distinct pages scanned, "
            f"{len(scanner.reports)} with violations"
        )


def test_a_person_answers_from_the_invitation_link_and_the_address_bar_forgets_the_code(page, demo, capsys):
    pulse, codes = pulse_with_codes(title="Tillitspuls i webbläsaren", asks_free_text=True)
    code = next(iter(codes.values()))
    scanner = Scanner(page)
    complaints = no_csp_errors(page)

    # Without a link: the code field, its explanation, and a refusal next to it.
    scanner.scan("pulse answer: the code", "/puls/svara/")
    expect(page.locator("main input[name=code]")).to_have_attribute("autocomplete", "off")
    page.locator("#pulse-code-form button[type=submit]").click()
    expect(page.locator("#id_code_error")).to_be_visible()
    scanner.scan("pulse answer: the code refused", expect="#id_code_error")

    # The invitation link, opened from the e-mail: the script fills the hidden field and takes the code
    # off the address bar.
    page.goto("about:blank")
    response = page.goto(f"/puls/svara/#{code}")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-robots-tag"] == "noindex"
    expect(page.locator("#pulse-code-from-link")).to_be_visible()
    expect(page.locator("#pulse-code-manual")).to_be_hidden()
    assert code not in page.url, page.url
    assert "#" not in page.url, page.url
    assert page.locator("#pulse-code-form input[name=token]").input_value() == code
    scanner.scan("pulse answer: the code from the link", expect="#pulse-code-from-link")

    # Step 1: the questions, one fieldset with a legend each, and the free text.
    page.locator("#pulse-code-form button[type=submit]").click()
    questions = page.locator("main fieldset.pulse-question")
    expect(questions).to_have_count(len(pulse.items))
    expect(questions.first.locator("legend")).to_be_visible()
    expect(questions.first.locator("input[type=radio]")).to_have_count(6)  # 1–5 and "don't know"
    assert code not in page.url
    scanner.scan("pulse answer: the questions", expect="main fieldset.pulse-question")

    # Sending nothing is refused on the page; nothing is stored.
    page.locator("main form.pulse-questions button[type=submit]").click()
    expect(page.locator("main .form-errors")).to_be_visible()
    scanner.scan("pulse answer: the questions with errors", expect="main .form-errors")
    assert not Response.objects.filter(pulse=pulse, answers__isnull=False).exists()

    # Answer with the keyboard-reachable radios, write a free-text answer, send.
    for index, code_of_item in enumerate(pulse.items):
        page.locator(f"input[name=q_{code_of_item}][value='{1 + index % 5}']").check()
    page.locator("main textarea[name=free_text]").fill("Mer tid att prata om det som inte fungerar.")
    page.locator("main form.pulse-questions button[type=submit]").click()
    expect(page.locator("main .pulse-thanks")).to_be_visible()
    assert code not in page.url, page.url
    assert page.url.endswith("/puls/svara/"), page.url
    scanner.scan("pulse answer: thank you", expect="main .pulse-thanks")
    assert Response.objects.filter(pulse=pulse, answers__isnull=False).count() == 1

    # English, by the page's language links (a GET: the page has no CSRF token to spend).
    page.goto("/puls/svara/")
    page.locator(".pulse-languages a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    scanner.scan("pulse answer: the code, in English", expect="#pulse-code-form")

    # The same link again, on the answer page already (only the fragment changes): refused next to the
    # code field, the code not written back into the page.
    page.goto("/puls/svara/")
    page.goto(f"/puls/svara/#{code}")
    expect(page.locator("#pulse-code-from-link")).to_be_visible()
    assert "#" not in page.url, page.url
    page.locator("#pulse-code-form button[type=submit]").click()
    expect(page.locator("#id_code_error")).to_be_visible()
    assert code not in page.content()
    assert Response.objects.filter(pulse=pulse, answers__isnull=False).count() == 1

    report(scanner, capsys, "the answer page")
    assert not complaints, complaints
    assert not scanner.reports, "\n".join(scanner.reports)


def test_a_manager_reads_a_closed_pulse_shares_it_and_prepares_the_next(page, login, capsys):
    pulse, codes = pulse_with_codes(title="Tillitspuls, stängd", asks_free_text=True)
    for index, code in enumerate(codes.values()):
        services.pulse_answer(
            token=code,
            answers={item: 1 + (index + n) % 5 for n, item in enumerate(pulse.items)},
            free_text="Fler gemensamma genomgångar." if index == 0 else "",
        )
    johan = person(MANAGER)
    pulse = services.pulse_close(actor=johan, access=Access.system(pulse.organisation_id), pulse=pulse)
    whole = PulseUnit.objects.get(pulse=pulse, parent__isnull=True)
    scanner = Scanner(page)
    complaints = no_csp_errors(page)
    login(MANAGER)

    # The navigation's entry leads to the list; the closed pulse is among those Johan leads.
    page.locator(".site-nav a[href='/pulses/']").click()
    expect(page).to_have_url("/pulses/")
    scanner.scan("pulse list as manager")
    page.locator(f"main a[href='{pulse.get_absolute_url()}']").first.click()
    expect(page.locator("main h1")).to_have_text(pulse.title)

    # The results: one table per unit, the mean and a bar with its numbers, no colours for good or bad.
    section = page.locator(f"#unit-{whole.pk}")
    expect(section.locator("table.pulse-results tbody tr")).to_have_count(len(pulse.items))
    expect(section.locator("td.number").first).to_be_visible()
    expect(section.locator("svg.pulse-bar").first).to_have_attribute("aria-hidden", "true")
    scanner.scan("pulse results as manager", expect=f"#unit-{whole.pk} table")

    # Share upward, then the look and the pulse over the rounds.
    section.locator("form.pulse-share button[type=submit]").click()
    expect(page.locator(f"#unit-{whole.pk} .tag")).to_be_visible()
    whole.refresh_from_db()
    assert whole.shared_upward
    scanner.scan("pulse results, shared", expect=f"#unit-{whole.pk} .tag")
    scanner.scan("pulse joint look", f"/pulses/{pulse.pk}/units/{whole.pk}/joint-look/")
    scanner.scan("pulse free text, too few answers to release", f"/pulses/{pulse.pk}/free-text/")
    page.goto(f"/units/{whole.unit_id}/pulse/")
    expect(page.locator("main figure.chart svg[role=img]")).to_have_count(len(pulse.items))
    details = page.locator("main figure.chart details").first
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(details.locator("table")).to_be_visible()
    scanner.scan("pulse over the rounds, a data table open", expect="main figure.chart")

    # The next round: the form, a refusal for too many questions, the draft, opening, closing.
    scanner.scan("new pulse", "/pulses/new/")
    page.locator("main input[name=title]").fill("Tillitspuls våren")
    page.locator("main input[name=closes_on]").fill((today() + timedelta(days=20)).isoformat())
    page.locator("main input[name=items][value=team_risk]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_items_error")).to_be_visible()
    scanner.scan("new pulse with errors", expect="#id_items_error")
    page.locator("main input[name=items][value=team_risk]").uncheck()
    page.locator("main form button[type=submit]").click()
    draft = Pulse.objects.get(title="Tillitspuls våren")
    expect(page).to_have_url(draft.get_absolute_url())
    scanner.scan("pulse draft")
    scanner.scan("edit a pulse draft", f"/pulses/{draft.pk}/edit/")
    scanner.scan("open a pulse", f"/pulses/{draft.pk}/open/")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(draft.get_absolute_url())
    draft.refresh_from_db()
    assert draft.state == PulseState.OPEN
    scanner.scan("open pulse as manager")
    scanner.scan("close a pulse", f"/pulses/{draft.pk}/close/")
    page.context.clear_cookies()

    # The administrator's thresholds.
    login(ADMINISTRATOR)
    scanner.scan("pulse thresholds", "/pulses/settings/")
    page.locator("main input[name=min_group_size]").fill("4")
    page.locator("main form button[type=submit]").click()
    scanner.scan("pulse thresholds with errors", expect=".field__error")

    report(scanner, capsys, "the pulse's pages")
    assert not complaints, complaints
    assert not scanner.reports, "\n".join(scanner.reports)
