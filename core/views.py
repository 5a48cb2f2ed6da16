"""What every view does the same way: run one service and show its refusal, the trail of
breadcrumbs, and a full address for e-mails and files.

    if done := apply(form, lambda: services.pool_create(actor=request.user, **data)):
        return redirect("grants:pool", done.value.pk)

`apply` answers with the service's result (`done.value`), truthy when the service went
through; when the service refuses (ValidationError), its messages go to the form's error
summary and the answer is falsy. `act` does the same for a button without a form: the
refusal becomes an error message on the next page, success a message of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

T = TypeVar("T")


@dataclass(frozen=True)
class Applied(Generic[T]):
    ok: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.ok


def apply(form, call: Callable[[], T]) -> Applied[T]:
    """Run a service; put its ValidationError in the form's error summary."""
    try:
        value = call()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return Applied(False)
    return Applied(True, value)


def act(request, call: Callable[[], T], success: str) -> Applied[T]:
    """Run a service for a button (no form): its refusal becomes an error message."""
    try:
        value = call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return Applied(False)
    messages.success(request, success)
    return Applied(True, value)


def crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    """The breadcrumbs of a page: the home page, then `trail` as (label, address)."""
    return [(_("Home"), reverse("home")), *trail]


def absolute_url(path: str) -> str:
    """The full address of a path of the portal, for e-mails, letters and calendar files."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.PORTAL_BASE_URL.rstrip("/") + path
