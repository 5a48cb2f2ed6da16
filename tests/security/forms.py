"""Every form of the project, found by asking each matrix URL as a role it lets in and
reading the HTML: where it posts to, and its fields; also the search and filter forms
(method get) and the fragments a page loads with htmx (data-hx-get), whose forms appear only
after that request."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, number, date, email, checkbox, radio, file, hidden...
    options: list[str] = field(default_factory=list)
    accept: str = ""  # for file inputs: what the browser offers to pick


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)
    method: str = "post"
    htmx: bool = False  # posted by htmx (hx-post): the view may answer with a fragment


@dataclass
class Page:
    forms: list[Form]  # post forms
    get_forms: list[Form]  # search and filter forms
    fragments: list[str]  # paths the page loads with hx-get


def attributes(attrs: list[tuple[str, str | None]]) -> dict[str, str | None]:
    """A tag's attributes, htmx's under one name: htmx reads `hx-post` and `data-hx-post`
    alike, and the templates write the valid one."""
    return {
        name.removeprefix("data-") if name.startswith("data-hx-") else name: value
        for name, value in attrs
    }


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.fragments: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def _path(self, url: str | None) -> str:
        return urlsplit(url or self.page_path).path or self.page_path

    def handle_starttag(self, tag, attrs):
        a = attributes(attrs)
        if a.get("hx-get"):
            self.fragments.append(self._path(a["hx-get"]))
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = self._path(a.get("hx-post") or a.get("action"))
            multipart = "multipart" in (a.get("enctype") or a.get("hx-encoding") or "")
            self._form = Form(action, multipart, method=method, htmx=bool(a.get("hx-post")))
            self.forms.append(self._form)
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            existing = self._form.fields.get(name)
            if existing and kind in ("radio", "checkbox"):
                existing.options.append(a.get("value") or "on")
                return
            self._form.fields[name] = Field(
                name, kind, [a.get("value") or "on"], accept=a.get("accept") or ""
            )
        elif tag == "textarea":
            self._form.fields[name] = Field(name, "textarea")
        elif tag == "select":
            self._select = Field(name, "select")
            self._form.fields[name] = self._select

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


IGNORED = {"csrfmiddlewaretoken", "language", "next"}


def read_page(html: str, page_path: str) -> Page:
    parser = _FormParser(page_path)
    parser.feed(html)
    # Language switch and log-out forms have nothing to check.
    forms = [f for f in parser.forms if {n for n in f.fields if n not in IGNORED}]
    return Page(
        forms=[f for f in forms if f.method == "post"],
        get_forms=[f for f in forms if f.method == "get"],
        fragments=sorted(set(parser.fragments)),
    )


def forms_on(html: str, page_path: str) -> list[Form]:
    return read_page(html, page_path).forms
