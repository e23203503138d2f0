"""Notifications in the browser: the unread count in the navigation, the inbox, opening a notification,
changing one's choices. Each page is scanned with axe (WCAG 2.1 AA), zero violations."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import MANAGER, person, unit
from .test_accessibility import Scanner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_person_sees_the_count_opens_the_notification_and_changes_their_choices(page, login):
    from tests.notifications.factories import notify
    from tillit.notifications.enums import NotificationKind
    from tillit.notifications.models import Notification, NotificationPreference

    manager, norr = person(MANAGER), unit("Hemtjänst Norr")
    Notification.objects.filter(person=manager).delete()  # the demo's own; these two are the test's
    notify(manager, unit=norr, subject="Nyckelskåpet", kind=NotificationKind.OBSTACLE_RECEIVED)
    notify(manager, unit=norr, subject="Fall i hemmet", kind=NotificationKind.JOINT_LOOK_OPENED)
    scanner = Scanner(page)
    scan = scanner.scan

    login(MANAGER)
    inbox_link = page.locator(".site-nav a[href='/inbox/']")
    expect(inbox_link).to_have_text("Inkorg (2 olästa)")

    inbox_link.click()
    page.wait_for_url("**/inbox/")
    scan("inbox")
    expect(page.locator(".notification--unread")).to_have_count(2)
    expect(page.locator(".notification").first).to_contain_text("Oläst: En gemensam genomgång har öppnats")

    page.get_by_role(
        "button", name=re.compile(r"^Öppna\W+Ett hinder från Hemtjänst Norr.*Nyckelskåpet$")
    ).click()
    page.wait_for_url(f"**/units/{norr.pk}/")
    expect(page.locator("main h1")).to_contain_text("Hemtjänst Norr")
    expect(inbox_link).to_have_text("Inkorg (1 oläst)")

    page.goto("/inbox/")
    page.get_by_role("link", name="Välj vad du vill få").click()
    page.wait_for_url("**/me/notifications/")
    scan("notification choices")
    group = page.get_by_role("group", name="Ett hinder har kommit till din enhet")
    group.get_by_label("Bara i inkorgen").check()
    page.get_by_role("button", name="Spara dina val").click()
    expect(page.locator(".messages")).to_contain_text("Dina val är sparade.")
    scan("notification choices saved", expect=".messages")
    expect(group.get_by_label("Bara i inkorgen")).to_be_checked()
    assert NotificationPreference.objects.get(person=manager, kind="obstacle.received").delivery == "inbox"

    assert scanner.reports == [], "\n".join(scanner.reports)
