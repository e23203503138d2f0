"""Strings that Django shows on Tillit's pages but that Django's own Swedish catalogue lacks.

Marking them here puts them into Tillit's catalogue (tillit/locale), which Django consults before its
own. Nothing needs to import this module: `make messages` reads it.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS_WITHOUT_SWEDISH = [
    # Django 6.1: the empty choice of a select (django.db.models.fields.BLANK_CHOICE_LABEL).
    gettext_noop("- Select an option -"),
]
