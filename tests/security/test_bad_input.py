"""Every form of the project is fed generated bad input: overlong text, control
characters, HTML and script, negative or huge amounts, impossible dates, foreign ids.
The answer is the form again with a Danish error, or a 4xx; never a 500; and the
database is unchanged. The forms are found from the authorization matrix: each URL a
role may open is fetched as that role and every form on it is tried."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.forms import Field, Form, forms_on
from tests.security.matrix import all_cases, build_matrix_world

MATRIX = all_cases()
PAGES = sorted(n for n, c in MATRIX.items() if c.method == "get" and 200 in c.expected.values())
# Tables a request may write without changing anything (sessions, the lookup log).
UNCOUNTED = ("django_session", "privacy_personaldataaccess")

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


def writes() -> int:
    """Rows inserted, updated or deleted so far in this transaction (outside UNCOUNTED)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables WHERE relname <> ALL(%s)",
            [list(UNCOUNTED)],
        )
        return cursor.fetchone()[0]


def allowed_role(case) -> str:
    return next(role for role, expected in case.expected.items() if expected == 200)


def _check(client, form: Form, data: dict) -> str:
    """'' when the bad input was turned away properly, else what went wrong."""
    before = writes()
    with transaction.atomic():
        response = client.post(form.action, data)
        transaction.set_rollback(True)
    after = writes()
    status = response.status_code
    if status >= 500:
        return f"{form.action}: {status} for {data!r:.300}"
    if status == 200:
        html = response.content.decode(errors="replace")
        if "Ret følgende" not in html and "error-message" not in html and "alert-error" not in html:
            return f"{form.action}: 200 without an error for {data!r:.300}"
    # A redirect back to the page with the error as a message is fine, if nothing changed.
    if after != before:
        return f"{form.action}: the database changed ({after - before} rows)"
    return ""


def _feed(client, form: Form, user) -> list[str]:
    problems: list[str] = []

    @settings(max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=bad_data(form))
    def feed(data):
        client.logout()
        if user is not None:
            client.force_login(user)
        problem = _check(client, form, data)
        if problem:
            problems.append(problem)

    feed()
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("app", sorted({n.split(":")[0] for n in PAGES}))
def test_every_form_turns_bad_input_away(app, client):
    world = build_matrix_world()
    found: dict[str, tuple[str, Form]] = {}
    for name in (n for n in PAGES if n.split(":")[0] == app):
        case = MATRIX[name]
        role = allowed_role(case)
        user = world.user(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        path = case.path(world)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_on(response.content.decode(), path):
            found.setdefault(form.action, (role, form))
    problems: list[str] = []
    for role, form in found.values():
        if attackable(form):
            problems += _feed(client, form, world.user(role))
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
