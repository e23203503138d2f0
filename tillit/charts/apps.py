from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "tillit.charts"
    label = "charts"
