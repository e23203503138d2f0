from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "tillit.indicators"
    label = "indicators"
