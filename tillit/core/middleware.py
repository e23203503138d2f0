from django.utils.functional import SimpleLazyObject

from tillit.chain.selectors import access_for


class AccessMiddleware:
    """Attach `request.access`: the signed-in person's capabilities, computed on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(lambda: access_for(person=request.user))
        return self.get_response(request)
