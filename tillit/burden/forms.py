from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.burden.enums import RemovalAnswer, ReportFrequency, RequesterKind

DATE = forms.DateInput(attrs={"type": "date"})


class RequirementForm(forms.Form):
    name = forms.CharField(label=_("What is reported?"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    requester_kind = forms.ChoiceField(label=_("Who asks for it?"), choices=RequesterKind.choices)
    requester_unit = forms.ModelChoiceField(
        label=_("The level in the chain that asks"),
        queryset=None,
        required=False,
        help_text=_("When a level in the steering chain asks: it answers proposals to remove the report."),
    )
    requester = forms.CharField(
        label=_("Requester's name"),
        max_length=200,
        required=False,
        help_text=_("For example Socialstyrelsen or IVO; left empty, the chosen level's name is used."),
    )
    legal_basis = forms.CharField(label=_("Legal basis (if any)"), max_length=300, required=False)
    frequency = forms.ChoiceField(label=_("How often?"), choices=ReportFrequency.choices)
    times_per_year = forms.IntegerField(
        label=_("Times per year (for ad hoc reports)"), min_value=1, max_value=365, required=False
    )
    minutes_each = forms.IntegerField(
        label=_("Minutes it takes each time"),
        min_value=1,
        max_value=100_000,
        help_text=_("Your own estimate: everyone's time together, gathering, checking and writing."),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it contains"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    readers = forms.CharField(label=_("Who reads it?"), max_length=300, required=False)
    starts_on = forms.DateField(label=_("From"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Until (sunset date)"), required=False, widget=DATE)

    def __init__(self, *args, units, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester_unit"].queryset = units
        self.fields["indicators"].queryset = indicators


class ProposeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why could the report go?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What does it cost, who uses it, what would you do with the time instead?"),
    )
    deadline = forms.DateField(
        label=_("Answer by"), required=False, widget=DATE, help_text=_("Left empty: in 30 days.")
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=RemovalAnswer.choices, widget=forms.RadioSelect)
    answer_text = forms.CharField(label=_("The answer in words"), widget=forms.Textarea(attrs={"rows": 4}))


class ExternalAnswerForm(AnswerForm):
    answered_by_text = forms.CharField(label=_("Who at the requester answered?"), max_length=200)
    answered_on = forms.DateField(label=_("Answer received on"), widget=DATE)


class DataRequestForm(forms.Form):
    what = forms.CharField(label=_("Which data do you need?"), max_length=300)
    why = forms.CharField(label=_("What will it help you with?"), widget=forms.Textarea(attrs={"rows": 4}))
    to_unit = forms.ModelChoiceField(label=_("To which support function?"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class DataAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    declined = forms.BooleanField(label=_("We cannot give this data (say why in the answer)"), required=False)
