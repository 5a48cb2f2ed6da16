"""The benchmark's baseline: the base layout for a logged-in person, and nothing else.

Every page's throughput is reported as a ratio to this one, measured in the same run on
the same server, so figures compare across machines. Reached only when PORTAL_BENCH=1
(bench/urls.py is then the root URLconf).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines

_TEMPLATE = """{% extends "base.html" %}{% load i18n %}
{% block head_title %}Baseline{% endblock %}
{% block content %}<h1>Baseline</h1><p>{{ request.user.name }}</p>{% endblock %}"""


@login_required
def baseline(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(_TEMPLATE)
    return HttpResponse(template.render({"breadcrumbs": [("Baseline", "")]}, request))
