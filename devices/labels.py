"""Asset labels: a QR code that opens the device's page, with its tag and model."""

from __future__ import annotations

import base64
import io

import qrcode
from django.urls import reverse
from qrcode.constants import ERROR_CORRECT_M

from .services.common import absolute


def device_url(device) -> str:
    """The device page as an absolute address (PORTAL_BASE_URL): a phone opens it."""
    return absolute(reverse("devices:device", args=[device.pk]))


def qr_png(text: str) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(text: str) -> str:
    """The QR code as a data: URI (the page's CSP allows data: images, not inline script)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode("ascii")
