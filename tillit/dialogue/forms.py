from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.dialogue.enums import Outcome
from tillit.dialogue.labels import PROMPTS


class LookOpenForm(forms.Form):
    subject = forms.CharField(
        label=_("What do you want to look at together?"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the indicator's name."),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator (if the look is about one)"), queryset=None, required=False
    )
    period = forms.DateField(
        label=_("Period at issue"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The month the look is about; its summary is drawn on the chart there."),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


class NoteForm(forms.Form):
    prompt = forms.ChoiceField(
        label=_("The question it answers"),
        choices=[("", _("A note from the meeting"))] + [(code, label) for code, label in PROMPTS.items()],
        required=False,
    )
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class PlanForm(forms.Form):
    participants = forms.TypedMultipleChoiceField(
        label=_("Who takes part"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    meeting_on = forms.DateField(
        label=_("We meet on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        seen, choices = set(), []
        for membership in memberships:
            if membership.person_id in seen:
                continue
            seen.add(membership.person_id)
            title = membership.title or membership.role.name
            choices.append(
                (membership.person_id, f"{membership.person.full_name} – {title}, {membership.unit.name}")
            )
        self.fields["participants"].choices = choices


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What did the joint look lead to?"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences for the chain. It is shown on the chart at the period looked at."),
    )
