from django.apps import AppConfig


class ObstaclesConfig(AppConfig):
    name = "tillit.obstacles"
    label = "obstacles"
