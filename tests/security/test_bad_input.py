"""Every form of the project is fed generated bad input: overlong text, control
characters, HTML and script, negative or huge amounts, impossible dates, foreign ids.
The answer is the form again with a Danish error, or a 4xx; never a 500; and the
database is unchanged. The forms are found from the authorization matrix: each URL a
role may open is fetched as that role and every form on it is tried, and so are the
forms in the fragments the pages load with htmx (hx-get), and every POST-only URL with
the fields its view's form class reads. Forms posted by htmx are tried both ways, as the
view answers htmx with a fragment. Search and filter forms (method get) are fed bad
query parameters and must not fail."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.discovery import (
    APPS,
    HTMX,
    MATRIX,
    POST_ONLY,
    Found,
    allowed_role,
    discover,
    post_only_form,
    writes,
)
from tests.security.forms import Field, Form, forms_on, read_page

_FOUND: dict[str, Found] = {}

OVERLONG = st.text(min_size=5001, max_size=6000, alphabet="æøåabc ")
CONTROL = st.text(alphabet=st.characters(codec="utf-8", categories=["Cc"]), min_size=1, max_size=20)
HTML = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '"><svg onload=alert(1)>',
    ]
)
NUMBERS = st.sampled_from(["-1", "-999999999", "1e309", "99999999999999999999999", "NaN", "1,2,3"])
DATES = st.sampled_from(["2025-02-30", "2025-13-01", "0000-00-00", "31-31-2025", "9999999-01-01"])
FOREIGN_IDS = st.sampled_from(["999999999", "-1", "0", "1; DROP TABLE x", "../../etc/passwd"])
# Text that no form field may accept: it always carries a NUL character.
BAD_TEXT = st.tuples(st.one_of(OVERLONG, CONTROL, HTML, st.just("")), st.text(max_size=20)).map(
    lambda parts: parts[0] + "\x00" + parts[1]
)


def bad_value(kind: str):
    if kind in ("number",):
        return NUMBERS
    if kind in ("date", "datetime-local", "time"):
        return DATES
    if kind in ("select", "radio", "checkbox", "hidden"):
        return st.one_of(FOREIGN_IDS, BAD_TEXT)
    return BAD_TEXT


def attackable(form: Form) -> list[Field]:
    """Fields that can hold bad input (a checkbox is on whatever it is sent)."""
    return [
        f
        for f in form.fields.values()
        if f.kind not in ("file", "checkbox") and f.name != "csrfmiddlewaretoken"
    ]


def bad_data(form: Form):
    checked = {f.name: st.just(f.options[0]) for f in form.fields.values() if f.kind == "checkbox"}
    return st.fixed_dictionaries(
        {**checked, **{f.name: bad_value(f.kind) for f in attackable(form)}}
    )


def found(client, world, app: str) -> Found:
    """What the app's pages offer; found once per test process (the world is shared)."""
    if app not in _FOUND:
        _FOUND[app] = discover(client, world, app)
    return _FOUND[app]


def _login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def _shows_error(html: str, htmx: bool) -> bool:
    if "Ret følgende" in html or "error-message" in html or "alert-error" in html:
        return True
    # A fragment tells of the refusal in an alert or in the live region it swaps in.
    return htmx and ('role="alert"' in html or "hx-swap-oob" in html)


def _check(client, form: Form, data: dict, htmx: bool = False) -> str:
    """'' when the bad input was turned away properly, else what went wrong."""
    how = " (htmx)" if htmx else ""
    before = writes()
    with transaction.atomic():
        response = client.post(form.action, data, **(HTMX if htmx else {}))
        transaction.set_rollback(True)
    after = writes()
    status = response.status_code
    if status >= 500:
        return f"{form.action}{how}: {status} for {data!r:.300}"
    if status == 200 and not _shows_error(response.content.decode(errors="replace"), htmx):
        return f"{form.action}{how}: 200 without an error for {data!r:.300}"
    # A redirect back to the page with the error as a message is fine, if nothing changed.
    if after != before:
        return f"{form.action}{how}: the database changed ({after - before} rows)"
    return ""


def _feed(client, form: Form, user, examples: int = 4) -> list[str]:
    problems: list[str] = []

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=bad_data(form))
    def feed(data):
        for htmx in (False, True) if form.htmx else (False,):
            _login(client, user)
            problem = _check(client, form, data, htmx)
            if problem:
                problems.append(problem)

    feed()
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("app", APPS)
def test_every_form_turns_bad_input_away(app, client, matrix_world):
    world = matrix_world
    problems: list[str] = []
    for role, form in found(client, world, app).forms.values():
        if attackable(form):
            problems += _feed(client, form, world.user(role))
    assert not problems, "\n".join(sorted(set(problems))[:40])


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_every_post_only_url_turns_bad_input_away(name, client, matrix_world):
    """A URL that only takes a POST (a button, an htmx action) is sent bad values for the
    fields its view reads, as a role that may use it, with and without htmx."""
    world = matrix_world
    form = post_only_form(world, name)
    if not attackable(form):
        pytest.skip("takes no input: the button is the whole request")
    form.htmx = True
    problems = _feed(client, form, world.user(allowed_role(MATRIX[name])), examples=3)
    assert not problems, "\n".join(sorted(set(problems))[:40])


BAD_QUERY = st.one_of(BAD_TEXT, NUMBERS, DATES, FOREIGN_IDS, st.just("x" * 3000))


def _query(client, form: Form, user) -> list[str]:
    problems: list[str] = []
    names = [n for n in form.fields if n != "csrfmiddlewaretoken"]

    @settings(max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.fixed_dictionaries(dict.fromkeys(names, BAD_QUERY)))
    def feed(data):
        _login(client, user)
        with transaction.atomic():
            response = client.get(form.action, data)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            problems.append(f"GET {form.action}: {response.status_code} for {data!r:.300}")

    feed()
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("app", APPS)
def test_search_and_filter_forms_survive_bad_query_parameters(app, client, matrix_world):
    """Search and filter forms (method get) are sent bad values for every field: the page
    answers (perhaps with a message, perhaps ignoring the filter), never with a 500."""
    world = matrix_world
    get_forms = found(client, world, app).get_forms.values()
    problems: list[str] = []
    for role, form in get_forms:
        problems += _query(client, form, world.user(role))
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_forms_are_found():
    html = (
        '<form method="post" action="/x/"><input name="csrfmiddlewaretoken">'
        '<input name="a" type="date"><select name="b"><option value="1"></select>'
        "<textarea name=c></textarea><button>Gem</button></form>"
    )
    (form,) = forms_on(html, "/side/")
    assert form.action == "/x/"
    assert {n: f.kind for n, f in form.fields.items()} == {
        "csrfmiddlewaretoken": "text",
        "a": "date",
        "b": "select",
        "c": "textarea",
    }
    assert isinstance(form.fields["b"], Field)
    assert form.fields["b"].options == ["1"]


def test_fragments_and_search_forms_are_found():
    html = (
        '<div data-hx-get="/brik/?side=2" data-hx-trigger="load"></div>'
        '<form method="get" action="/soeg/"><input name="q"><select name="aar">'
        '<option value="2025">2025</option></select></form>'
        '<form method="post" action="/x/" data-hx-post="/x/"><textarea name="c"></textarea></form>'
    )
    page = read_page(html, "/side/")
    assert page.fragments == ["/brik/"]
    (search,) = page.get_forms
    assert (search.action, search.method, list(search.fields)) == ("/soeg/", "get", ["q", "aar"])
    (form,) = page.forms
    assert form.htmx and form.action == "/x/"
