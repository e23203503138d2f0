from django.apps import AppConfig


class BurdenConfig(AppConfig):
    name = "tillit.burden"
    label = "burden"
