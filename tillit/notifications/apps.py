from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tillit.notifications"
    label = "notifications"
