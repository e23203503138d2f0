"""The reporter host as a site of its own: host separation (T-64), the header contract on every page
(T-03), no indexing (T-08), the information page (T-31, W-16), languages by path, no log lines."""

import logging
import re
from pathlib import Path

import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.factories.whistle import signed_in_client, whistle_world
from tillit.whistle.enums import Sector
from tillit.whistle.middleware import ReporterHostMiddleware, reporter_cookie_name
from tillit.whistle.models import Report
from tillit.whistle.services import channels

from .test_reporter_support import (  # noqa: F401 -- fixtures
    HOST,
    fresh_state_fixture,
    post_report,
    reporter_fixture,
    sign_in,
    submit,
    url,
    world_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def assert_header_contract(response, *, cookie_allowed: bool = False, name: str = ""):
    csp = response.get("Content-Security-Policy", "")
    assert csp, name
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'none'"):
        assert directive in csp, (directive, csp)
    assert "unsafe-inline" not in csp, csp
    assert "unsafe-eval" not in csp, csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert script_src.split() == ["'self'"], script_src
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
        assert feature in permissions, permissions
    assert "noindex" in response["X-Robots-Tag"]
    cookies = set(response.cookies)
    assert cookies <= ({reporter_cookie_name()} if cookie_allowed else set()), cookies


# ------------------------------------------------------------------------------------ T-64


def test_reporter_pages_do_not_exist_on_the_staff_host(client, world):
    for path in [
        url("channel", "vissel"),
        url("submit", "vissel"),
        url("challenge", "vissel"),
        url("inbox", "vissel"),
        url("channel", "vissel", language="en"),
        "/robots.txt",
    ]:
        assert client.get(path).status_code == 404, path


def test_staff_pages_admin_and_api_do_not_exist_on_the_reporter_host(reporter, world):
    for path in [
        "/",
        "/api/v1/",
        "/api/v1/docs",
        "/django-admin/",
        "/django-admin/login/",
        "/accounts/login/",
        "/accounts/",
        "/visselblasning/",
        "/visselblasning/vissel/",
        "/puls/svara/",
        "/i18n/setlang/",
        "/en/",
    ]:
        response = reporter.get(path)
        assert response.status_code == 404, path
        assert_header_contract(response)
        assert b"Whistleblowing channel" in response.content  # the reporter host's own 404, not the staff's


# ------------------------------------------------------------------------------------ T-03, T-08


def test_every_reporter_page_keeps_the_header_contract(reporter, world, tmp_path):
    pages = {
        "information": reporter.get(url("channel", "vissel")),
        "information in English": reporter.get(url("channel", "vissel", language="en")),
        "report form": reporter.get(url("submit", "vissel")),
        "report form refused": post_report(reporter, world, what=""),
        "challenge": reporter.get(url("challenge", "vissel")),
        "unknown channel": reporter.get(url("channel", "no-such-channel")),
        "sign-in": reporter.get(url("inbox", "vissel")),
        "sign-in failed": sign_in(reporter, world, "0000 0000 0000 0000"),
        "robots.txt": reporter.get("/robots.txt"),
    }
    receipt_page = post_report(reporter, world, files=[_file("bevis.txt", b"innehall")])
    pages["receipt"] = receipt_page
    receipt = re.sub(r"\D", "", re.search(r'id="receipt">(.*?)</p>', receipt_page.content.decode(), re.S)[1])
    signed_in = sign_in(reporter, world, receipt)
    assert_header_contract(signed_in, cookie_allowed=True)
    pages["inbox"] = reporter.get(url("inbox", "vissel"))
    attachment = Report.objects.get().attachments.get()
    pages["download"] = reporter.get(url("file", "vissel", attachment.pk))
    pages["another file"] = reporter.get(url("file", "vissel", "00000000-0000-4000-8000-000000000000"))
    pages["static"] = reporter.get("/static/whistle/reporter.css")

    statuses = {name: response.status_code for name, response in pages.items()}
    assert statuses == {
        "information": 200,
        "information in English": 200,
        "report form": 200,
        "report form refused": 200,
        "challenge": 200,
        "unknown channel": 404,
        "sign-in": 200,
        "sign-in failed": 400,
        "robots.txt": 200,
        "receipt": 200,
        "inbox": 200,
        "download": 200,
        "another file": 404,
        "static": 200,
    }
    for name, response in pages.items():
        assert_header_contract(response, name=name)
    assert "sandbox" in pages["download"]["Content-Security-Policy"]


def test_under_https_the_only_cookie_is_a_host_bound_secure_session_cookie(settings, world):
    settings.HTTPS = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    secure = Client(HTTP_HOST=HOST)
    receipt = submit(secure, world, meta={"secure": True})
    response = sign_in(secure, world, receipt, secure=True)
    assert response.status_code == 303
    assert list(response.cookies) == ["__Host-tillit-whistle"]
    morsel = response.cookies["__Host-tillit-whistle"]
    assert morsel["secure"]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Strict"
    assert morsel["path"] == "/"
    assert not morsel["max-age"]
    assert not morsel["expires"]
    assert not morsel["domain"]
    hsts = response["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts
    assert int(re.search(r"max-age=(\d+)", hsts)[1]) >= 31_536_000


def test_staff_cookies_sent_to_the_reporter_host_are_neither_used_nor_echoed(client, reporter, world):
    staff = signed_in_client(client, world.handlers[0])
    session_key = staff.cookies["sessionid"].value
    reporter.cookies["sessionid"] = session_key
    reporter.cookies["csrftoken"] = "a" * 32
    reporter.cookies["django_language"] = "en"

    seen = {}

    def spy(request):
        seen["cookies"], seen["header"] = dict(request.COOKIES), request.META.get("HTTP_COOKIE")
        return HttpResponse("ok")

    request = RequestFactory(HTTP_HOST=HOST).get(
        "/vissel/", HTTP_COOKIE=f"sessionid={session_key}; csrftoken=x"
    )
    ReporterHostMiddleware(spy)(request)
    assert seen == {"cookies": {}, "header": None}

    for response in (reporter.get(url("channel", "vissel")), post_report(reporter, world)):
        assert response.status_code == 200
        assert b'<html lang="sv">' in response.content  # the language cookie was not read either
        assert not response.cookies
    assert Session.objects.filter(session_key=session_key).exists()  # neither flushed nor rotated
    assert staff.get("/").status_code == 200


def test_reporter_pages_read_neither_the_staff_person_nor_the_session(reporter, world, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a reporter page read the staff person or session")

    monkeypatch.setattr("django.contrib.auth.get_user", refuse)
    monkeypatch.setattr(SessionBase, "_session", property(refuse))
    receipt = submit(reporter, world, files=[_file("a.txt", b"a")])
    assert sign_in(reporter, world, receipt).status_code == 303
    inbox = reporter.get(url("inbox", "vissel"))
    token = re.search(r'name="form_token" value="([^"]+)"', inbox.content.decode())[1]
    sent = reporter.post(
        url("inbox", "vissel"), {"form_token": token, "action": "message", "message-body": "Hej"}
    )
    assert sent.status_code == 303
    file_id = Report.objects.get().attachments.get().pk
    assert reporter.get(url("file", "vissel", file_id)).status_code == 200
    assert (
        reporter.post(url("inbox", "vissel"), {"form_token": token, "action": "sign_out"}).status_code == 200
    )


def test_robots_txt_disallows_everything_and_pages_say_noindex(reporter, world):
    robots = reporter.get("/robots.txt")
    assert robots.content.decode() == "User-agent: *\nDisallow: /\n"
    assert robots["Content-Type"].startswith("text/plain")
    for path in (url("channel", "vissel"), url("submit", "vissel"), url("inbox", "vissel")):
        response = reporter.get(path)
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert b'<meta name="robots" content="noindex, nofollow">' in response.content


# ------------------------------------------------------------------------------------ T-31, W-16


def test_the_information_page_lists_the_external_channels_and_the_freedom_to_inform(reporter, world):
    html = reporter.get(url("channel", "vissel")).content.decode()
    assert "Arbetsmiljöverket, Finansinspektionen, IMY" in html  # the channel's external channels
    assert "Så hanteras din rapport" in html  # its procedure
    assert "Ring 010-000 00 00" in html  # how to report orally
    for words in ("meddelarfrihet", "anskaffarfrihet", "efterforskningsförbud"):
        assert words in html, words
    assert "lag (2021:890) om skydd för personer som rapporterar om missförhållanden" in html
    assert not re.search(r"\d+\s*§", html), "no paragraph numbers until they are verified"
    assert "private device" in html
    assert "Wi-Fi" in html
    assert "no cookie until you sign in" in html
    assert f'href="{url("submit", "vissel")}"' in html
    assert f'href="{url("inbox", "vissel")}"' in html


def test_an_information_page_without_the_channels_own_texts_still_gives_the_legal_information(reporter):
    bare = whistle_world(slug="tom", sector=Sector.PRIVATE)
    channels.channel_update(
        access=bare.system, channel=bare.channel, procedure="", external_channels="", oral_reporting=""
    )
    html = reporter.get(url("channel", "tom")).content.decode()
    main = re.search(r"<main.*?</main>", html, re.S)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
    assert len(text) > 2000, text  # never an empty page (T-31)
    for words in ("meddelarfrihet", "anskaffarfrihet", "lag (2021:890)", "competent authority", "seven days"):
        assert words in text, words
    assert "efterforskningsförbud" not in text  # the public sector's protection is not promised here


def test_a_closed_channel_shows_only_the_information(reporter):
    closed = whistle_world(slug="stangd", is_open=False)
    info = reporter.get(url("channel", "stangd")).content.decode()
    assert "does not take written reports" in info
    assert url("submit", "stangd") not in info
    assert url("inbox", "stangd") in info  # a report already made can still be followed
    form = reporter.get(url("submit", "stangd"))
    assert form.status_code == 200
    assert b'name="pow_challenge"' not in form.content
    post = post_report(reporter, closed, pow_challenge="x", pow_counter="1")
    assert b"does not take written reports" in post.content
    assert not Report.objects.exists()


def test_an_unknown_channel_is_not_found(reporter, world):
    for name in ("channel", "submit", "inbox"):
        assert reporter.get(url(name, "finns-inte")).status_code == 404


def test_the_language_is_in_the_path_and_the_links_lead_between_the_two(reporter, world):
    swedish = reporter.get(url("channel", "vissel"))
    english = reporter.get(url("channel", "vissel", language="en"))
    assert url("channel", "vissel", language="en") == "/en/vissel/"
    assert b'<html lang="sv">' in swedish.content
    assert b'<html lang="en">' in english.content
    assert b'href="/en/vissel/" lang="en" hreflang="en"' in swedish.content
    assert b'href="/vissel/" lang="sv" hreflang="sv"' in english.content
    assert swedish["Content-Language"] == "sv"
    assert english["Content-Language"] == "en"
    assert not swedish.cookies
    assert not english.cookies
    english_form = reporter.get(url("submit", "vissel", language="en")).content.decode()
    assert 'action="/en/vissel/rapportera/"' in english_form
    receipt = submit(reporter, world)
    signed_in = sign_in(reporter, world, receipt, path="/en/vissel/inkorg/")
    assert signed_in["Location"] == "/en/vissel/inkorg/"  # the inbox stays in the chosen language


def test_refusals_and_errors_write_no_log_line(reporter, world, caplog):
    caplog.set_level(logging.DEBUG)
    assert reporter.get("/no/such/page/").status_code == 404
    assert reporter.get(url("channel", "finns-inte")).status_code == 404
    assert reporter.put(url("inbox", "vissel")).status_code == 405
    assert post_report(reporter, world, website="http://spam.example").status_code == 403
    assert sign_in(reporter, world, "not a receipt").status_code == 400
    assert reporter.get(url("file", "vissel", "00000000-0000-4000-8000-000000000000")).status_code == 404
    assert [record for record in caplog.records if record.name.startswith("django.")] == []
    assert not [record for record in caplog.records if "vissel" in record.getMessage()]


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_the_reporter_pages_work_without_djangos_csrf_cookie_or_token(world):
    strict = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    receipt = submit(strict, world)
    assert sign_in(strict, world, receipt).status_code == 303
    html = strict.get(url("inbox", "vissel")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html)[1]
    sent = strict.post(
        url("inbox", "vissel"), {"form_token": token, "action": "message", "message-body": "Hej"}
    )
    assert sent.status_code == 303
    assert "csrftoken" not in strict.cookies


TEMPLATES = Path(__file__).resolve().parents[2] / "tillit" / "whistle" / "templates" / "whistle" / "reporter"
STATIC = Path(__file__).resolve().parents[2] / "tillit" / "whistle" / "static" / "whistle"


def test_the_reporter_templates_and_assets_hold_no_inline_code_and_no_other_host():
    """T-02's static half, W-03: nothing the CSP would have to allow, nothing from elsewhere."""
    sources = sorted(TEMPLATES.glob("*.html")) + sorted(STATIC.glob("*"))
    assert len(sources) > 10
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text), path.name
        if path.suffix == ".html":
            assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text), path.name
            assert not re.search(r"<script(?![^>]*\ssrc=)", text), path.name  # no inline script
            assert "csrf_token" not in text, path.name
