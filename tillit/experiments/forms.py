from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.experiments.enums import Decision, Expected


def _date(label, help_text=""):
    return forms.DateField(label=label, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"}))


class ExperimentForm(forms.Form):
    title = forms.CharField(label=_("Name of the experiment"), max_length=200)
    problem = forms.CharField(
        label=_("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What do the citizens, or you, notice today?"),
    )
    change = forms.CharField(label=_("What change will you try?"), widget=forms.Textarea(attrs={"rows": 3}))
    hypothesis = forms.CharField(
        label=_("What do you expect to happen?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say which way the data should move, and roughly how much."),
    )
    expected = forms.ChoiceField(
        label=_("Which way should the indicators move?"),
        choices=Expected.choices,
        initial=Expected.IMPROVE,
        widget=forms.RadioSelect,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators to watch"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The start becomes a phase change on these charts: the limits start again there."),
    )
    start_on = _date(_("Start"), _("From this month on, the chart compares after with before."))
    study_on = _date(_("Planned study date"), _("When you will look at what happened and decide."))

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = indicators


class StudyForm(forms.Form):
    study_notes = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the work, for the citizens, and on the charts."),
    )
    decision = forms.ChoiceField(
        label=_("What do you decide?"), choices=Decision.choices, widget=forms.RadioSelect
    )
    learning = forms.CharField(
        label=_("What did you learn?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Written for the learning archive: what would you tell a unit about to try the same?"),
    )
    shared_beyond_organisation = forms.BooleanField(
        label=_("Share the experiment with other organisations on Tillit"),
        required=False,
        help_text=_(
            "They see what you tried and learned, the unit's name and the charts of the watched indicators "
            "with their notes of process changes; never any person's name, comment or joint look."
        ),
    )


class PeersForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units to invite"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda unit: f"{unit.name} ({unit.level.name})"


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ArchiveForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    indicator = forms.CharField(label=_("Indicator"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind of unit"), required=False, choices=())
    decision = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("All decisions")), *Decision.choices]
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds of unit")), *((kind, kind) for kind in kinds)]
