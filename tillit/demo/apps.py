from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tillit.demo"
    label = "demo"
