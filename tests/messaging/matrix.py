"""Authorization matrix entries for notifications (see tests/security/matrix.py)."""

from django.urls import reverse

from messaging.models import Notification
from tests.security.matrix import LOGGED_IN, LOGIN, Case, expect, plain


def _leaders_notification(w) -> str:
    notification = Notification.objects.create(
        recipient=w.users["leader"], kind="test", subject="Hej", key="matrix", url="/"
    )
    return reverse("messaging:notification_open", args=[notification.pk])


CASES = {
    "messaging:notifications": Case(plain("messaging:notifications"), LOGGED_IN),
    "messaging:notification_open": Case(
        _leaders_notification, expect(404, anonymous=LOGIN, leader=302)
    ),
    "messaging:notifications_read_all": Case(
        plain("messaging:notifications_read_all"), expect(302, anonymous=LOGIN), method="post"
    ),
}
