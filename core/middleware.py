"""Headers that protect every answer: what the browser may use, and what it may keep."""

from __future__ import annotations

from django.conf import settings


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every answer, from settings.PERMISSIONS_POLICY: a feature
    mapped to the origins that may use it, an empty list for nobody."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def holds_no_personal_data(response):
    """Mark an answer a logged-in person's browser may keep (the same for everyone, like
    a question's sound file); everything else they are shown it must not."""
    response.holds_no_personal_data = True
    return response


class NoStoreForPersonsMiddleware:
    """What a logged-in person is shown (pages, a child's photo, a letter) is not kept by
    the browser or anything between: after logging out on a shared computer, the back
    button and the browser's cache show nothing. A view may still say less (no-cache,
    must-revalidate); it may not let the answer be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not getattr(response, "holds_no_personal_data", False)
            and "no-store" not in response.get("Cache-Control", "")
        ):
            response["Cache-Control"] = "private, no-store"
        return response
