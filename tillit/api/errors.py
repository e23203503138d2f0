"""Every refusal the API answers, in one place: operations raise, these handlers answer.

An operation never maps an exception to a status itself. Services and selectors raise what the pages
also get: `Http404` (or a model's `DoesNotExist`) for what the caller may not see, `PermissionDenied`
for what they may see but not do, `ValidationError` for input that cannot be used. The answer is
always JSON with a `detail`; the all-or-nothing bulk write adds its `problems`, each with its row.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from tillit.api.schemas import DetailOut, ProblemOut, ProblemsOut
from tillit.indicators.services import ObservationsInvalidError

NOT_FOUND = "Not Found"
FORBIDDEN = "Forbidden"


def install_error_handlers(api: NinjaAPI) -> None:
    """Set the API's answers to 404, 403 and 422 (the same body for every operation)."""

    def answer(request, body, status):
        return api.create_response(request, body.model_dump(), status=status)

    def not_found(request, error):
        detail = f"{NOT_FOUND}: {error}" if settings.DEBUG else NOT_FOUND
        return answer(request, DetailOut(detail=detail), 404)

    def forbidden(request, error):
        return answer(request, DetailOut(detail=str(error) or FORBIDDEN), 403)

    def invalid(request, error):
        return answer(request, DetailOut(detail=" ".join(error.messages)), 422)

    def rows_invalid(request, error):
        problems = [ProblemOut(row=problem.index, message=problem.message) for problem in error.problems]
        return answer(
            request,
            ProblemsOut(detail=_("Nothing was recorded: some rows are wrong."), problems=problems),
            422,
        )

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(ObservationsInvalidError, rows_invalid)
