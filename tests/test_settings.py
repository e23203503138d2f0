"""Settings from the environment, and the security headers and cookies they produce."""

import re
import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import config.settings
from config.settings import env, env_bool, env_list
from tillit.demo.generate import DEMO_PASSWORD

pytestmark = pytest.mark.integration

ENVIRONMENT = (
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DEBUG",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "DATABASE_URL",
    "BEHIND_PROXY",
    "ALLOWED_HOSTS",
)


@pytest.fixture
def environment(monkeypatch):
    """A clean environment for loading config/settings.py afresh: `environment(NAME=value)`."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)

    def load(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(config.settings.__file__)

    return load


def test_env_reads_a_secret_from_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("  from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY", "from-the-variable")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))

    assert env("SECRET_KEY") == "from-the-file"


def test_env_falls_back_to_the_variable_and_then_the_default(monkeypatch):
    monkeypatch.delenv("TILLIT_TEST_VALUE_FILE", raising=False)
    monkeypatch.delenv("TILLIT_TEST_VALUE", raising=False)

    assert env("TILLIT_TEST_VALUE", "standard") == "standard"
    monkeypatch.setenv("TILLIT_TEST_VALUE", "satt")
    assert env("TILLIT_TEST_VALUE", "standard") == "satt"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("nej", False),
    ],
)
def test_env_bool_reads_common_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("TILLIT_TEST_FLAG", value)

    assert env_bool("TILLIT_TEST_FLAG", default=not expected) is expected


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("TILLIT_TEST_LIST", " tillit.example , ,127.0.0.1,")

    assert env_list("TILLIT_TEST_LIST") == ["tillit.example", "127.0.0.1"]


def test_settings_read_the_secret_key_from_a_file(environment, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("a-long-random-secret-from-a-file\n", encoding="utf-8")

    loaded = environment(SECRET_KEY_FILE=str(secret))

    assert loaded["SECRET_KEY"] == "a-long-random-secret-from-a-file"


def test_settings_refuse_to_start_without_a_secret_key_in_production(environment):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        environment()


def test_settings_use_a_development_key_only_in_debug(environment):
    loaded = environment(DEBUG="true")

    assert loaded["SECRET_KEY"] == "insecure-development-key-only"


def test_cookies_are_secure_and_https_is_enforced_by_default(environment):
    loaded = environment(SECRET_KEY="x" * 50)

    assert (
        loaded["SESSION_COOKIE_SECURE"],
        loaded["CSRF_COOKIE_SECURE"],
        loaded["LANGUAGE_COOKIE_SECURE"],
        loaded["SECURE_SSL_REDIRECT"],
        loaded["SECURE_HSTS_SECONDS"],
    ) == (True, True, True, True, 31_536_000)
    assert loaded["SESSION_COOKIE_HTTPONLY"] is loaded["CSRF_COOKIE_HTTPONLY"] is True
    assert loaded["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_cookies_follow_https_off_for_plain_http(environment):
    loaded = environment(SECRET_KEY="x" * 50, HTTPS="false")

    assert (
        loaded["SESSION_COOKIE_SECURE"],
        loaded["CSRF_COOKIE_SECURE"],
        loaded["LANGUAGE_COOKIE_SECURE"],
        loaded["SECURE_SSL_REDIRECT"],
        loaded["SECURE_HSTS_SECONDS"],
    ) == (False, False, False, False, 0)


def test_proxy_header_is_trusted_only_when_behind_a_proxy(environment):
    direct = environment(SECRET_KEY="x" * 50)
    proxied = environment(SECRET_KEY="x" * 50, BEHIND_PROXY="true")

    assert direct["SECURE_PROXY_SSL_HEADER"] is None
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_sqlite_is_the_default_with_wal_and_a_busy_timeout(environment):
    database = environment(SECRET_KEY="x" * 50)["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("var/tillit.sqlite3")
    assert "PRAGMA journal_mode=WAL;" in database["OPTIONS"]["init_command"]
    assert "PRAGMA busy_timeout=5000;" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_selects_postgresql(environment):
    database = environment(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://tillit:hemligt@db.example:5433/tillit"
    )["DATABASES"]["default"]

    assert (database["ENGINE"], database["NAME"], database["HOST"], database["PORT"], database["USER"]) == (
        "django.db.backends.postgresql",
        "tillit",
        "db.example",
        5433,
        "tillit",
    )
    assert "OPTIONS" not in database or "init_command" not in database["OPTIONS"]


def test_passwords_are_hashed_with_argon2_first():
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_pages_carry_a_strict_content_security_policy(client, same_unit, home_care_north):
    client.force_login(same_unit)

    response = client.get(f"/units/{home_care_north.pk}/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts  # htmx
    assert all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts)
    assert not re.search(r"<style|\sstyle=\"|\son[a-z]+=\"", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # no third-party requests


def test_pages_carry_the_other_security_headers(client, db):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_cookie_is_http_only_same_site_and_short_lived(client, same_unit):
    response = client.post(
        "/accounts/login/", {"login": "johan.nystrom@exempelby.se", "password": DEMO_PASSWORD}
    )

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert response.status_code == 302
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_pages_stay_swedish_in_an_english_browser_but_the_api_follows_accept_language(client, same_unit):
    client.force_login(same_unit)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    api_english = client.get("/api/v1/units/987654321", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    api_default = client.get("/api/v1/units/987654321")

    assert page["Content-Language"] == "sv"
    assert api_english["Content-Language"] == "en"
    assert api_default["Content-Language"] == "sv"
