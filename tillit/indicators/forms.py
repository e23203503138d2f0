"""Forms of the indicators room: they read what people type; the services decide what is allowed."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillit.core.imports import TableFileForm
from tillit.indicators.enums import WITH_DENOMINATOR, DataType, Direction, Frequency, Origin
from tillit.indicators.imports import NumberError, parse_number
from tillit.indicators.periods import PeriodError, parse_period, period_example


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    definition = forms.CharField(
        label=_("Definition"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is counted or measured, how, and from which source. Precise enough to repeat."),
    )
    purpose_link = forms.CharField(
        label=_("The purpose it informs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Which part of the unit's purpose this data tells about, and how it helps you."),
    )
    data_type = forms.ChoiceField(label=_("Data type"), choices=DataType.choices)
    direction = forms.ChoiceField(
        label=_("Improvement direction"), choices=Direction.choices, initial=Direction.NEUTRAL
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.MONTH)
    measure_label = forms.CharField(
        label=_("Unit of measure"),
        max_length=60,
        required=False,
        help_text=_("What one counts, e.g. falls, visits, days. Optional."),
    )
    scale = forms.FloatField(
        label=_("Shown per"),
        initial=1,
        min_value=0.000001,
        help_text=_("For proportions and rates: 100 shows per cent, 1000 per thousand. Otherwise 1."),
    )
    origin = forms.ChoiceField(
        label=_("Who asked for this data?"),
        choices=Origin.choices,
        initial=Origin.UNIT,
        help_text=_("Vilka data behöver du? Data the unit chose itself, or data required from outside."),
    )
    required_by = forms.CharField(
        label=_("Required by"),
        max_length=200,
        required=False,
        help_text=_("When required from outside: by whom, e.g. the committee, Socialstyrelsen, IVO."),
    )

    def __init__(self, *args, fixed_type: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_type:
            for name in ("data_type", "frequency"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once data is recorded.")


def _clean_period(value: str, frequency: str):
    try:
        return parse_period(value, frequency)
    except PeriodError as error:
        raise ValidationError(str(error)) from None


def _clean_number(value: str, *, required: bool):
    try:
        number = parse_number(value)
    except NumberError as error:
        raise ValidationError(str(error)) from None
    if number is None and required:
        raise ValidationError(_("Enter a number."))
    return number


class ObservationForm(forms.Form):
    """One period's value of one indicator; entering an existing period corrects it."""

    period = forms.CharField(label=_("Period"), max_length=20)
    value = forms.CharField(label=_("Value"), max_length=40)
    denominator = forms.CharField(label=_("Denominator"), max_length=40)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what explains this value, e.g. a change in the work or a data problem."),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].help_text = _("Write the period as %(example)s.") % {
            "example": period_example(indicator.frequency)
        }
        self.fields["value"].widget.attrs["inputmode"] = "decimal"
        if indicator.data_type in WITH_DENOMINATOR:
            self.fields["value"].label = _("Numerator")
            self.fields["value"].help_text = (
                _("How many of the denominator, e.g. visits by a familiar carer.")
                if indicator.data_type == DataType.PROPORTION
                else _("The number of events, e.g. falls.")
            )
            self.fields["denominator"].help_text = (
                _("The whole the numerator is part of, e.g. all visits.")
                if indicator.data_type == DataType.PROPORTION
                else _("The exposure, e.g. care days.")
            )
            self.fields["denominator"].widget.attrs["inputmode"] = "decimal"
        else:
            del self.fields["denominator"]

    def clean_period(self):
        return _clean_period(self.cleaned_data["period"], self.indicator.frequency)

    def clean_value(self):
        return _clean_number(self.cleaned_data["value"], required=True)

    def clean_denominator(self):
        return _clean_number(self.cleaned_data["denominator"], required=True)


class PhaseChangeForm(forms.Form):
    period = forms.CharField(label=_("From period"), max_length=20)
    label = forms.CharField(
        label=_("What changed in the work?"),
        max_length=200,
        help_text=_("E.g. new planning of routes, a new way of working. The chart's limits restart here."),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].help_text = _("The first period after the change, e.g. %(example)s.") % {
            "example": period_example(indicator.frequency)
        }

    def clean_period(self):
        return _clean_period(self.cleaned_data["period"], self.indicator.frequency)


class NarrativeForm(forms.Form):
    period = forms.CharField(label=_("Month"), max_length=10, help_text=_("Write the month as 2024-03."))
    text = forms.CharField(
        label=_("What do we see?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "In your own words: what the numbers show, what happened, what you are trying. "
            "Leave empty to remove this month's text."
        ),
    )

    def clean_period(self):
        return _clean_period(self.cleaned_data["period"], Frequency.MONTH)


class ImportForm(TableFileForm):
    help_text = _(
        "Columns: indikator, period, värde, and nämnare for proportions and rates; kommentar is "
        "optional. At most 5 MB and 50 000 rows."
    )
