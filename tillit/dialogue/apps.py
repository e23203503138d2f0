from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "tillit.dialogue"
    label = "dialogue"
