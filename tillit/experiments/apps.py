from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "tillit.experiments"
    label = "experiments"
