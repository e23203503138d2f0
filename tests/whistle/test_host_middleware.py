"""The reporter host's middleware (tillit/whistle/middleware.py) on requests no reporter page expects: a
POST to a page that takes none is answered by the page itself, without Django's CSRF machinery reading
the body with its default upload handlers (plaintext temporary files) or writing a log line."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories.whistle import whistle_world

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

HOST = "visselblasning.localhost"


@pytest.fixture
def world():
    return whistle_world(slug="vissel")


@pytest.mark.parametrize("path", ["/robots.txt", "/vissel/", "/en/vissel/"])
def test_a_post_where_none_is_taken_is_refused_by_the_page_without_a_log_line(world, path, caplog, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    caplog.set_level(logging.DEBUG)
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    upload = SimpleUploadedFile("hemligt.txt", b"SENTINEL-UPLOAD " * 1000)
    response = client.post(path, {"file": upload})
    assert response.status_code == 405
    assert [record for record in caplog.records if record.name.startswith("django")] == []
