"""Technical staff and their way into the technical admin, for the tests of both."""

from __future__ import annotations

from django.urls import reverse

from tests.accounts.test_login import current_totp_code
from tests.factories import PASSWORD, UserFactory

ADMIN = "/teknisk-admin/"
LOGIN = reverse("account_login")
TWO_FACTOR = reverse("mfa_authenticate")


def technical_staff(*, totp: bool = True, email: str = "support@example.org"):
    """A member of the installation's technical support (is_staff), with every admin
    permission, as the person who runs the installation would give."""
    return UserFactory(
        email=email, name="Sigrid Support", is_staff=True, is_superuser=True, totp=totp
    )


def log_in_with_code(client, email: str, *, next_url: str = ADMIN):
    """Log in through the portal's login, password then code, as a person would after
    opening the admin; returns the answer to the code."""
    response = client.post(f"{LOGIN}?next={next_url}", {"login": email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR), (
        response.status_code,
        response.get("Location"),
    )
    return client.post(TWO_FACTOR, {"code": current_totp_code()})
