from __future__ import annotations

import pytest
from django.utils import translation

from tests.messaging.helpers import RefusingSink, build_family


@pytest.fixture
def family(world):
    return build_family(world)


@pytest.fixture
def refusing_mailbox(settings):
    """Mail goes to a server that refuses gone@example.org with 550."""
    sink = RefusingSink({"gone@example.org"})
    sink.start()
    settings.EMAIL_PORT = sink.port
    yield sink
    sink.stop()


@pytest.fixture
def english():
    """Service errors in English, so tests can name them; e-mails and notifications
    still follow each recipient's own language."""
    with translation.override("en"):
        yield
