from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


@task()
def send_invitation(*, person_id: int, inviter_id: int) -> str:
    """E-mail an invited person a link where they choose their password."""
    user_model = get_user_model()
    person = user_model.objects.select_related("organisation").get(pk=person_id)
    inviter = user_model.objects.get(pk=inviter_id)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accounts:invitation-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    context = {"person": person, "inviter": inviter, "link": link, "organisation": person.organisation}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [person.email])
    return person.email
