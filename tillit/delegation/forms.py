from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.imports import TableFileForm


class RegisterCreateForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Nämnd or unit"),
        queryset=None,
        help_text=_("A register belongs to one nämnd (or another unit that delegates its decisions)."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("For example: Delegationsordning för vård- och omsorgsnämnden."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RegisterImportForm(TableFileForm):
    help_text = _(
        "Columns: Nr, Ärendegrupp, Ärende, Delegat, Lagrum, Vidaredelegering, Anmälan, Ersättare, "
        "Kommentar. Ärendegrupp, Ärende and Delegat are required. At most 5 MB."
    )


class AdoptForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision"),
        max_length=200,
        help_text=_("The nämnd's decision that adopted this version, for example VON 2026-03-12 § 34."),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Who may decide about …?"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Write the matter in your own words, for example: bistånd till hemtjänst."),
    )
