from django.apps import AppConfig


class ChainConfig(AppConfig):
    name = "tillit.chain"
    label = "chain"
