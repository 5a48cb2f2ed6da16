"""What a role can submit: every form on the pages of the authorization matrix, fetched as
a role that may open them, the forms in the fragments those pages load with htmx, and the
fields a POST-only URL's view reads (from its form class)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from django import forms as django_forms
from django.db import connection
from django.urls import resolve

from tests.security.forms import Field, Form, read_page
from tests.security.matrix import all_cases

MATRIX = all_cases()
PAGES = sorted(n for n, c in MATRIX.items() if c.method == "get" and 200 in c.expected.values())
POST_ONLY = sorted(n for n, c in MATRIX.items() if c.method == "post")
HTMX = {"HTTP_HX_REQUEST": "true"}
APPS = sorted({n.split(":")[0] for n in PAGES})
# Tables a request may write without changing anything (sessions, the lookup log, and the
# login throttle's counts, which a refused login is meant to raise).
UNCOUNTED = ("django_session", "privacy_personaldataaccess", "accounts_login_cache")


def app_of(name: str) -> str:
    return name.split(":")[0]


def allowed_role(case) -> str:
    """A role that may use the URL: 200 for a page, a redirect (done) for a POST-only URL."""
    for wanted in (200, 302):
        for role, expected in case.expected.items():
            if expected == wanted:
                return role
    raise LookupError("no role may use this URL")


@dataclass
class Found:
    """What one app's pages offer, with the role that saw it."""

    forms: dict[str, tuple[str, Form]] = field(default_factory=dict)
    get_forms: dict[str, tuple[str, Form]] = field(default_factory=dict)
    fragments: set[str] = field(default_factory=set)


def _get(client, world, role: str, path: str, **headers):
    client.logout()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(path, **headers)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def discover(client, world, app: str) -> Found:
    found = Found()
    fragments: dict[str, str] = {}
    for name in (n for n in PAGES if app_of(n) == app):
        case = MATRIX[name]
        role = allowed_role(case)
        path = case.path(world)
        html = _get(client, world, role, path)
        if html is None:
            continue
        page = read_page(html, path)
        for form in page.forms:
            found.forms.setdefault(form.action, (role, form))
        for form in page.get_forms:
            found.get_forms.setdefault(form.action + " " + " ".join(form.fields), (role, form))
        for fragment in page.fragments:
            fragments.setdefault(fragment, role)
    for path, role in fragments.items():
        found.fragments.add(path)
        html = _get(client, world, role, path, **HTMX)
        if html is None:
            continue
        page = read_page(html, path)
        for form in page.forms:
            found.forms.setdefault(form.action, (role, form))
        for form in page.get_forms:
            found.get_forms.setdefault(form.action + " " + " ".join(form.fields), (role, form))
    return found


def _kind(bound: django_forms.Field) -> str:
    widget = bound.widget
    if isinstance(bound, django_forms.FileField):
        return "file"
    if isinstance(widget, django_forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, django_forms.Textarea):
        return "textarea"
    if isinstance(widget, django_forms.Select | django_forms.RadioSelect):
        return "select"
    return getattr(widget, "input_type", "text")


def view_form_classes(path: str) -> list[type[django_forms.BaseForm]]:
    """The form classes the view behind `path` binds the posted data to: a class-based
    view's form_class, or the form classes a function view's code names."""
    func = resolve(path).func
    view_class = getattr(func, "view_class", None)
    if view_class is not None:
        form_class = getattr(view_class, "form_class", None)
        return [form_class] if form_class else []
    func = inspect.unwrap(func)
    names = set(func.__code__.co_names)
    return [
        value
        for name, value in func.__globals__.items()
        if name in names
        and isinstance(value, type)
        and issubclass(value, django_forms.BaseForm)
        and value.__module__ != "django.forms.forms"
    ]


def post_only_form(world, name: str) -> Form:
    """The fields a POST-only URL takes: its view's form classes, and the data the matrix
    posts to it (for views that read request.POST by hand)."""
    case = MATRIX[name]
    path = case.path(world)
    form = Form(path, multipart=False)
    for form_class in view_form_classes(path):
        try:
            unbound = form_class()
        except TypeError:
            # Forms that need more than data (the user, the institution): their fields
            # are declared on the class.
            fields = form_class.base_fields
        else:
            fields = unbound.fields
        for field_name, bound in fields.items():
            try:
                options = [str(value) for value, _ in getattr(bound, "choices", [])]
            except (TypeError, AttributeError):
                options = []  # a model choice field without its queryset yet
            form.fields[field_name] = Field(field_name, _kind(bound), options)
    for key in case.data:
        form.fields.setdefault(key, Field(key, "text"))
    return form


def writes() -> int:
    """Rows inserted, updated or deleted so far in this transaction (outside UNCOUNTED)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables WHERE relname <> ALL(%s)",
            [list(UNCOUNTED)],
        )
        return cursor.fetchone()[0]
