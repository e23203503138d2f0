from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tillit.chain.models import Level, Role, Unit


class UnitCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.ModelChoiceField(label=_("Level"), queryset=Level.objects.none())

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels


class UnitRenameForm(UnitCreateForm):
    pass


class UnitMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("New place in the chain (the unit above)"), queryset=Unit.objects.none()
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = targets
        self.fields["new_parent"].label_from_instance = lambda unit: (
            f"{'— ' * unit.depth}{unit.name} ({unit.level})"
        )


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    title = forms.CharField(
        label=_("Title"), max_length=150, required=False, help_text=_("For example undersköterska or rektor.")
    )
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.none())

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles


class MembershipCreateForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none())
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.none())
    title = forms.CharField(label=_("Title"), max_length=150, required=False)

    def __init__(self, *args, people, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda person: f"{person.full_name} <{person.email}>"
        self.fields["role"].queryset = roles


class LevelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class LevelCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example Sektion or Arbetslag."))
    rank = forms.IntegerField(
        label=_("Place in the chain"),
        min_value=0,
        max_value=50,
        help_text=_("0 is the top of the chain; larger numbers are further down."),
    )


class RoleCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    can_write = forms.BooleanField(label=_("Write in own unit"), required=False)
    can_manage = forms.BooleanField(label=_("Manage the unit and its sub-units"), required=False)
    can_administer = forms.BooleanField(label=_("Administer the organisation"), required=False)
    can_audit = forms.BooleanField(label=_("Audit the whole organisation (read only)"), required=False)
