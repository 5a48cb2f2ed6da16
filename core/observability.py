"""What an operator sees of a running portal: log lines, error reports and traces.

- Every log line carries the request id, the user id and the municipality id (numbers,
  never names, e-mail addresses or CPR numbers), and the task when a Celery task logs.
  `LOG_FORMAT=json` (production's default) writes one JSON object a line.
- The request id comes from the `X-Request-ID` header of the proxy (or is made here), is
  sent back in the response, and travels with every task the request queues, through the
  outbox and the broker, so one id follows a click to the e-mail it sent.
- `SENTRY_DSN` switches on error tracking (no personal data is sent);
  `OTEL_EXPORTER_OTLP_ENDPOINT` switches on OpenTelemetry traces of requests, tasks and SQL.

The municipality of a user is found by a function the settings name
(`LOG_MUNICIPALITY_FOR`), so this module imports no app of the project.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("portal.requests")

request_id: ContextVar[str] = ContextVar("request_id", default="")
user_id: ContextVar[int | None] = ContextVar("user_id", default=None)
municipality_id: ContextVar[int | None] = ContextVar("municipality_id", default=None)
task_name: ContextVar[str] = ContextVar("task_name", default="")

CONTEXT = {
    "request_id": request_id,
    "user_id": user_id,
    "municipality_id": municipality_id,
    "task": task_name,
}
# What a proxy may send as a request id: letters, digits and dashes, not too long.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SESSION_KEY = "_log_municipality"


def current_request_id() -> str:
    return request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def bind(**values) -> list:
    """Set context values; returns the tokens `unbind` takes to restore the old ones."""
    return [(CONTEXT[name], CONTEXT[name].set(value)) for name, value in values.items()]


def unbind(tokens: list) -> None:
    for var, token in reversed(tokens):
        var.reset(token)


# Log records ----------------------------------------------------------------------------


class ContextFilter(logging.Filter):
    """Puts the request id, user, municipality and task on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in CONTEXT.items():
            if not hasattr(record, name):
                setattr(record, name, var.get())
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for the log collector."""

    FIELDS = ("request_id", "user_id", "municipality_id", "task")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value not in (None, ""):
                entry[field] = value
        for field in ("method", "path", "status", "duration_ms"):
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """Development: readable lines that still show the request id and user."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        context = [
            f"{name}={getattr(record, name)}"
            for name in ("request_id", "user_id", "municipality_id", "task")
            if getattr(record, name, None) not in (None, "")
        ]
        return f"{line} [{' '.join(context)}]" if context else line


def logging_config(*, level: str, json_lines: bool, quiet: dict[str, str]) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "core.observability.ContextFilter"}},
        "formatters": {
            "json": {"()": "core.observability.JsonFormatter"},
            "plain": {"()": "core.observability.PlainFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "plain",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {name: {"level": lvl} for name, lvl in quiet.items()},
    }


# Requests -------------------------------------------------------------------------------


def remember_municipality(sender, request, user, **kwargs) -> None:
    """At login (user_logged_in): note the person's municipality in the session, so log
    lines carry it without a query on every request."""
    finder = getattr(settings, "LOG_MUNICIPALITY_FOR", "")
    session = getattr(request, "session", None)
    if not finder or session is None:
        return
    try:
        session[SESSION_KEY] = import_string(finder)(user)
    except Exception:
        logger.exception("Could not find the municipality of user %s", user.pk)


class RequestContextMiddleware:
    """Gives each request its id (sent back as X-Request-ID) and the user and municipality
    to every log line it writes; logs one line per request (the path without its query
    string, which may hold what someone searched for)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if VALID_REQUEST_ID.match(incoming) else new_request_id()
        request.request_id = rid
        tokens = bind(request_id=rid, user_id=None, municipality_id=None, task="")
        started = time.monotonic()
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                session = getattr(request, "session", {})
                tokens += bind(user_id=user.pk, municipality_id=session.get(SESSION_KEY))
            response = self.get_response(request)
            response.headers["X-Request-ID"] = rid
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            unbind(tokens)


# Celery ---------------------------------------------------------------------------------


def connect_celery_signals() -> None:
    """Carry the request context into tasks: as message headers when published, set
    again in the worker while the task runs."""
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def add_context(headers=None, **kwargs):
        if headers is None:
            return
        for name in ("request_id", "user_id", "municipality_id"):
            value = CONTEXT[name].get()
            if value not in (None, "") and name not in headers:
                headers[name] = value

    @signals.task_prerun.connect(weak=False)
    def enter_task(task=None, **kwargs):
        if task is None:
            return
        values = {"task": task.name}
        headers = getattr(task.request, "headers", None) or {}
        for name in ("request_id", "user_id", "municipality_id"):
            # From the message; a task run inline keeps the request's own context.
            values[name] = (
                getattr(task.request, name, None) or headers.get(name) or CONTEXT[name].get()
            )
        values["request_id"] = values["request_id"] or ""
        task.request._observability_tokens = bind(**values)
        logger.info("Task %s started", values["task"])

    @signals.task_postrun.connect(weak=False)
    def leave_task(task=None, **kwargs):
        tokens = getattr(task.request, "_observability_tokens", None) if task else None
        if tokens:
            unbind(tokens)


# Error tracking and traces --------------------------------------------------------------


def _scrub(event, hint):
    """Nothing personal leaves for the error tracker: the user by id only, no cookies,
    headers, form data or query strings."""
    request = event.get("request") or {}
    for key in ("cookies", "data", "headers", "query_string", "env"):
        request.pop(key, None)
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    event.setdefault("tags", {})["request_id"] = request_id.get()
    if municipality_id.get():
        event["tags"]["municipality_id"] = municipality_id.get()
    return event


def setup_error_tracking(dsn: str, *, environment: str, release: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        # Nothing personal is collected: no user details (the id is added in _scrub), no
        # cookies, headers, bodies, query strings, SQL parameters or local variables.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_scrub,
        traces_sample_rate=0,
    )


_tracing = {"on": False}


def setup_tracing(service_name: str) -> None:
    """Traces of requests, tasks and SQL to the OTLP endpoint in the environment
    (OTEL_EXPORTER_OTLP_ENDPOINT, over HTTP). Safe to call again in a forked worker."""
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    if not _tracing["on"]:
        _tracing["on"] = True
        # Query texts only, never their parameters (which may be personal data).
        DjangoInstrumentor().instrument(excluded_urls="healthz,readyz")
        PsycopgInstrumentor().instrument(enable_commenter=False, skip_dep_check=True)
        CeleryInstrumentor().instrument()
