from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field when it has one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def apply_service(form: forms.Form, service, /, **kwargs):
    """Call a service for a valid form. A ValidationError from the service lands on the form (and None
    is returned), so the page re-renders with the person's input kept and the reason shown."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
