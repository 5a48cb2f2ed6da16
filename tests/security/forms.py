"""Every form of the project, found by asking each matrix URL as a role it lets in and
reading the HTML: where it posts to, and its fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, number, date, email, checkbox, radio, file, hidden...
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            action = urlsplit(a.get("action") or self.page_path).path or self.page_path
            multipart = "multipart" in (a.get("enctype") or "")
            self._form = Form(action, multipart)
            self.forms.append(self._form)
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
            self._form.fields[name] = Field(name, kind, [a.get("value") or "on"])
        elif tag == "textarea":
            self._form.fields[name] = Field(name, "textarea")
        elif tag == "select":
            self._select = Field(name, "select")
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(html: str, page_path: str) -> list[Form]:
    parser = _FormParser(page_path)
    parser.feed(html)
    ignored = {"csrfmiddlewaretoken", "language", "next"}
    return [
        f
        for f in parser.forms
        # Language switch and log-out forms have nothing to check.
        if {n for n in f.fields if n not in ignored}
    ]
