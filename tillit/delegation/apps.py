from django.apps import AppConfig


class DelegationConfig(AppConfig):
    name = "tillit.delegation"
    label = "delegation"
