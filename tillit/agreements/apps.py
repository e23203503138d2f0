from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "tillit.agreements"
    label = "agreements"
