from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillit.agreements.diff import number_text


class PurposeForm(forms.Form):
    statement = forms.CharField(
        label=_("What is the work for?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words: the difference the unit makes. Not a target, not a number."),
    )
    serves = forms.CharField(
        label=_("Whom do we serve?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The people the work is for, e.g. older people living at home and their relatives."),
    )
    valued = forms.CharField(
        label=_("What do they value?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What matters to them, in their words, e.g. the same faces, being on time, being listened to."
        ),
    )


class DecimalCommaField(forms.CharField):
    """A number as people write it: 2,5 or 2.5 (spaces as thousands separators are fine)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8})

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        cleaned = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace(",", ".")
        try:
            number = float(cleaned)
        except ValueError:
            raise ValidationError(_("Write the value as a number, e.g. 2,5."), code="invalid") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValidationError(_("Write the value as a number, e.g. 2,5."), code="invalid")
        return number

    def prepare_value(self, value):
        if isinstance(value, float | int) and not isinstance(value, bool):
            return number_text(float(value))
        return value


class AgreementVersionForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What the work is for. It starts as the unit's own purpose; change it together if needed."
        ),
    )
    mandate_items = forms.CharField(
        label=_("Mandate: the unit decides this itself"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line, e.g. how the day's visits are planned."),
    )
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When you look at the agreement together again."),
    )

    def clean_mandate_items(self):
        return [line.strip() for line in self.cleaned_data["mandate_items"].splitlines() if line.strip()]


class ListedChoiceField(forms.ModelChoiceField):
    """A choice of objects already read: every row of a formset shares one query instead of one each
    (a ModelChoiceField queries to render its options and again to check the choice)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=None, **kwargs)
        self.objects: dict[str, object] = {}

    def set_objects(self, objects) -> None:
        self.objects = {str(obj.pk): obj for obj in objects}
        self.choices = [("", self.empty_label), *((obj.pk, self.label_from_instance(obj)) for obj in objects)]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.objects.get(str(getattr(value, "pk", value)))
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class IndicatorBoundaryForm(forms.Form):
    indicator = ListedChoiceField(label=_("Indicator"), required=False, empty_label=_("Choose an indicator"))
    low = DecimalCommaField(
        label=_("Off-limits below"), required=False, help_text=_("Leave empty if there is no lower limit.")
    )
    high = DecimalCommaField(
        label=_("Off-limits above"), required=False, help_text=_("Leave empty if there is no upper limit.")
    )
    description = forms.CharField(
        label=_("What we do then (optional)"),
        required=False,
        help_text=_("e.g. we look at it together at the next meeting."),
    )

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].set_objects(indicators)

    def clean(self):
        cleaned = super().clean()
        values = (cleaned.get("low"), cleaned.get("high"), cleaned.get("description"))
        if cleaned.get("indicator") is None and any(value not in (None, "") for value in values):
            self.add_error("indicator", _("Choose the indicator this boundary is about."))
        return cleaned


class QualitativeBoundaryForm(forms.Form):
    description = forms.CharField(
        label=_("An event that is off-limits"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Described in words, e.g. a visit is missed without the person being told."),
    )


class SupportPromiseForm(forms.Form):
    text = forms.CharField(
        label=_("The level above promises"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. we answer an obstacle you raise."),
    )
    response_working_days = forms.IntegerField(
        label=_("Answer within (working days)"), required=False, min_value=1, max_value=365
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("response_working_days") is not None and not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Say what the level above promises."))
        return cleaned


ROWS_TO_ADD = 1  # blank rows below the filled ones; "Save and add more rows" gives another


class RowFormSet(forms.BaseFormSet):
    """Rows of a list; each row can be removed with a plainly labelled checkbox."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")


IndicatorBoundaryFormSet = forms.formset_factory(
    IndicatorBoundaryForm,
    formset=RowFormSet,
    extra=ROWS_TO_ADD,
    can_delete=True,
    max_num=50,
    validate_max=True,
)
QualitativeBoundaryFormSet = forms.formset_factory(
    QualitativeBoundaryForm,
    formset=RowFormSet,
    extra=ROWS_TO_ADD,
    can_delete=True,
    max_num=50,
    validate_max=True,
)
SupportPromiseFormSet = forms.formset_factory(
    SupportPromiseForm, formset=RowFormSet, extra=ROWS_TO_ADD, can_delete=True, max_num=50, validate_max=True
)


def kept_rows(formset) -> list[dict]:
    """The filled-in rows of a valid formset that are not marked for removal, in order."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append(data)
    return rows


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class BoundaryReportForm(forms.Form):
    occurred_on = forms.DateField(
        label=_("When did it happen?"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Describe the event so that you can look at it together. Do not write names of the people you serve."
        ),
    )


class CompareForm(forms.Form):
    """Which earlier version to compare with (a GET form on the changes page)."""

    against = forms.TypedChoiceField(label=_("Compare with"), coerce=int, required=False)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against"].choices = [
            (version.pk, _("Version %(number)d") % {"number": version.number}) for version in versions
        ]
