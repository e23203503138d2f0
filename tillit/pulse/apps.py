from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "tillit.pulse"
    label = "pulse"
