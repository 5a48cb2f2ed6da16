"""The shape every app's permissions.py uses: `can_<verb>_<object>` functions that
return a Decision, truthy when allowed and carrying the reason when not."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def require(decision: Decision) -> None:
    """Raise PermissionDenied (403) unless the decision allows."""
    if not decision:
        raise PermissionDenied(decision.reason)
