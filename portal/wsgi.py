import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

if settings.OTEL_ENABLED:
    # Before the application loads its middleware, which tracing wraps.
    from core.observability import setup_tracing

    setup_tracing("dagtilbudsportalen-web")

application = get_wsgi_application()
