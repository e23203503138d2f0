"""The answer page of the trust pulse.

The answer page stands apart. Anyone with a code reaches it, signed in or not, and it works the same
for both: it reads neither the person (`request.user`) nor the session, writes no log line, and keeps the
code out of every URL. The invitation link carries the code in its fragment, which browsers never send;
the page's script moves it into a hidden field (POST only) and takes it off the address bar. A refusal
answers 200 with the form (a 4xx would make Django's request logger write a line).

The answer page is exempt from Django's CSRF check, on purpose. The code in the POST is the only right: no
cookie or session is used, so a forged cross-site request has nothing to borrow (whoever holds a code can
send it anyway). And under `Referrer-Policy: no-referrer` browsers send `Origin: null` with a form's POST,
which the CSRF check refuses. So the page sets no cookie of its own either, except the language a person
chooses with its language links (a GET, as the page has no CSRF token for Django's `set_language`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tillit.core.forms import add_service_errors
from tillit.pulse import services
from tillit.pulse.forms import AnswerForm, CodeForm
from tillit.pulse.instrument import SCALE_LABELS
from tillit.pulse.models import MIN_GROUP_SIZE

# W-14, browser hygiene: nothing cached, no address sent on, not indexed.
ANSWER_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}

# ----------------------------------------------------------------------------------- the answer page


def _anonymous(request, template: str, context: dict):
    response = render(request, template, context)
    for name, value in ANSWER_HEADERS.items():
        response.headers[name] = value
    return response


def _code_page(request, form: CodeForm):
    return _anonymous(request, "pulse/answer_code.html", {"form": form, "k": MIN_GROUP_SIZE})


def _questions_page(request, form: AnswerForm):
    pulse = form.pulse
    return _anonymous(
        request,
        "pulse/answer_questions.html",
        {
            "form": form,
            "pulse": pulse,
            "k": pulse.min_group_size,
            "free_text_k": pulse.min_free_text_group_size,
            "scale": [(value, SCALE_LABELS[value]) for value in (1, 2, 3, 4, 5)],
        },
    )


def _language_chosen(request, language: str):
    """The answer page's language links: remember the choice as `set_language` does, back to the page."""
    response = redirect("pulse:answer")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    for name, value in ANSWER_HEADERS.items():
        response.headers[name] = value
    return response


@csrf_exempt  # see the module's docstring: the code is the only right, and the browser sends Origin: null
@require_http_methods(["GET", "POST"])
def answer(request):
    """Step 1 takes the code and shows the pulse's questions; step 2 stores the answer and thanks."""
    if request.method == "GET":
        language = request.GET.get("language", "")
        if language in dict(settings.LANGUAGES):
            return _language_chosen(request, language)
        return _code_page(request, CodeForm())
    if request.POST.get("step") != "answer":
        code_form = CodeForm(request.POST)
        if not code_form.is_valid():
            return _code_page(request, code_form)
        token, pulse = code_form.cleaned_data["token"], code_form.cleaned_data["pulse"]
        return _questions_page(request, AnswerForm(initial={"token": token}, pulse=pulse))

    # Step 2: the code again (it may have been used or the pulse closed meanwhile), then the answers.
    code_form = CodeForm({"token": request.POST.get("token", "")})
    if not code_form.is_valid():
        return _code_page(request, code_form)
    token, pulse = code_form.cleaned_data["token"], code_form.cleaned_data["pulse"]
    form = AnswerForm(request.POST, pulse=pulse)
    if form.is_valid():
        try:
            services.pulse_answer(
                token=token, answers=form.answers(), free_text=form.cleaned_data.get("free_text", "")
            )
        except ValidationError as error:
            if "token" in getattr(error, "error_dict", {}):
                return _code_page(request, CodeForm({}, refusal=error.error_dict["token"]))
            add_service_errors(form, error)
        else:
            return _anonymous(
                request, "pulse/answer_thanks.html", {"pulse": pulse, "k": pulse.min_group_size}
            )
    return _questions_page(request, form)
