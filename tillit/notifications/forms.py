from django import forms

from tillit.notifications.enums import Delivery, NotificationKind


class NotificationPreferencesForm(forms.Form):
    """One radio group per kind of notification: how the person wants to hear of it."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[self.field_name(kind)] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current[kind.value],
            )

    @staticmethod
    def field_name(kind: NotificationKind) -> str:
        return kind.value.replace(".", "_")

    def choices(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[self.field_name(kind)] for kind in NotificationKind}
