from django.urls import path

from tillit.notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_mark_all_read, name="inbox-read-all"),
    path("inbox/<int:notification_id>/open/", views.notification_open, name="notification-open"),
    path("me/notifications/", views.preferences, name="preferences"),
]
