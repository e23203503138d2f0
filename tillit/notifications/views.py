from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.notifications import selectors, services
from tillit.notifications.forms import NotificationPreferencesForm
from tillit.notifications.texts import notification_text

PER_PAGE = 25


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(person=request.user), PER_PAGE).get_page(request.GET.get("page"))
    items = [
        {
            "notification": notification,
            "text": notification_text(kind=notification.kind, params=notification.params),
        }
        for notification in page
    ]
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@login_required
@require_POST
def notification_open(request, notification_id: int):
    notification = selectors.notification_get_own(person=request.user, notification_id=notification_id)
    target = services.notification_open(person=request.user, notification=notification)
    return redirect(target or "notifications:inbox")


@login_required
@require_POST
def inbox_mark_all_read(request):
    count = services.notifications_mark_all_read(person=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    form = NotificationPreferencesForm(
        request.POST or None, current=selectors.preferences_of(person=request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(person=request.user, choices=form.choices())
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
