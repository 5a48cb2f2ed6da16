"""The Danish catalogues: every string translated, nothing missing, Danish by default.

The foundation's catalogue is locale/da/LC_MESSAGES/django.po; an app with its own
locale/ folder keeps <app>/locale/da/LC_MESSAGES/django.po (see the update_messages
command). When a test here fails because of new or changed source strings, run
`make messages`, translate the new entries and commit the .po files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
CATALOGUE = Path("da") / "LC_MESSAGES" / "django.po"


def catalogues(base: Path = BASE_DIR) -> list[Path]:
    """Every Danish catalogue, relative to `base`: the foundation's and each app's own."""
    found = [Path("locale") / CATALOGUE]
    found += sorted(
        path.relative_to(base) / CATALOGUE
        for path in base.glob("*/locale")
        if (path.parent / "apps.py").exists()
    )
    return found


# Top-level folders that are not source: the same as `make messages` ignores, plus the
# repository and the collected static files.
NOT_SOURCE = {".venv", "node_modules", "var", ".git", "staticfiles"}


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def __str__(self) -> str:
        text = repr(self.msgid)
        if self.msgid_plural is not None:
            text += f" / {self.msgid_plural!r}"
        if self.msgctxt is not None:
            text = f"[{self.msgctxt}] {text}"
        return text


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(quoted: str) -> str:
    inner = quoted.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), inner)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header included (msgid ""), obsolete ones left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and target is not None:
                finish()  # a comment after a complete entry starts the next one
            if line.startswith("#,"):
                entry = entry or Entry()
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, quoted = match.groups()
            if keyword in ("msgctxt", "msgid") and entry is not None and entry.msgstr:
                finish()  # no blank line between entries
            entry = entry or Entry()
            value = _unquote(quoted)
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", None)
            else:
                position = int(index) if index is not None else 0
                while len(entry.msgstr) <= position:
                    entry.msgstr.append("")
                entry.msgstr[position] = value
                target = ("msgstr", position)
            continue
        if line.startswith('"') and entry is not None and target is not None:
            name, position = target
            value = _unquote(line)
            if name == "msgstr":
                entry.msgstr[position] += value
            else:
                setattr(entry, name, (getattr(entry, name) or "") + value)
            continue
        raise ValueError(f"{path}: cannot read the line {raw!r}")
    finish()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    """The translatable entries, without the header."""
    return [e for e in entries if not (e.msgid == "" and e.msgctxt is None)]


def _header(entries: list[Entry]) -> str:
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            return entry.msgstr[0] if entry.msgstr else ""
    return ""


def _listing(entries) -> str:
    return "\n".join(f"  {entry}" for entry in sorted(entries, key=str))


@pytest.mark.parametrize("catalogue", catalogues(), ids=str)
def test_every_string_is_translated_and_none_is_fuzzy(catalogue):
    entries = parse_po(BASE_DIR / catalogue)
    header = _header(entries)
    assert "Language: da\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header

    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    untranslated = [
        e
        for e in messages(entries)
        if not e.msgstr
        or any(not s.strip() for s in e.msgstr)
        or (e.msgid_plural is not None and len(e.msgstr) != 2)
    ]
    problems = []
    if fuzzy:
        problems.append(
            f"{len(fuzzy)} fuzzy entries; check the translation and remove the "
            f"'#, fuzzy' flag:\n{_listing(fuzzy)}"
        )
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated entries:\n{_listing(untranslated)}")
    assert not problems, f"In {catalogue}:\n" + "\n".join(problems)


_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.mark.parametrize("catalogue", catalogues(), ids=str)
def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for entry in messages(parse_po(BASE_DIR / catalogue)):
        if entry.msgid_plural is None:
            expected = [_placeholders(entry.msgid)]
        else:
            # Danish has two forms: [0] for one, [1] for other counts.
            expected = [_placeholders(entry.msgid), _placeholders(entry.msgid_plural)]
        for translation, placeholders in zip(entry.msgstr, expected, strict=False):
            if _placeholders(translation) != placeholders:
                wrong.append(f"  {entry}: {translation!r}")
    assert not wrong, "These translations lose or add placeholders:\n" + "\n".join(wrong)


def test_catalogues_agree_on_shared_strings():
    """Django merges every catalogue into one and the first app in INSTALLED_APPS wins, so
    a msgid translated differently in two catalogues silently shows the other app's words.
    Give such strings a context (pgettext) or translate them alike."""
    seen: dict[tuple, dict[str, tuple[str, ...]]] = {}
    for catalogue in catalogues():
        for entry in messages(parse_po(BASE_DIR / catalogue)):
            seen.setdefault(entry.key, {})[str(catalogue)] = tuple(entry.msgstr)
    disagreeing = [
        f"  {key[1]!r}" + (f" [{key[0]}]" if key[0] else "") + f": {translations}"
        for key, translations in seen.items()
        if len(set(translations.values())) > 1
    ]
    assert not disagreeing, "Translated differently in two catalogues:\n" + "\n".join(disagreeing)


def _copy_source(destination: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name == "__pycache__"}
        if Path(directory).resolve() == BASE_DIR:
            skipped |= NOT_SOURCE & set(names)
        return skipped

    shutil.copytree(BASE_DIR, destination, ignore=ignore, symlinks=True)


def _database_url() -> str:
    """DATABASE_URL from the environment; otherwise one naming the database in use, so
    the copy does not start its own embedded PostgreSQL (makemessages never connects)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    db = settings.DATABASES["default"]
    host = str(db.get("HOST") or "127.0.0.1").replace("/", "%2F")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db.get('USER') or 'postgres'}@{host}{port}/{db.get('NAME') or 'portal'}"


def test_catalogues_have_every_source_string(tmp_path):
    committed_before = {c: (BASE_DIR / c).read_bytes() for c in catalogues()}
    copy = tmp_path / "src"
    _copy_source(copy)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url(),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "update_messages"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"update_messages failed:\n{result.stdout}\n{result.stderr}"
    assert {c: (BASE_DIR / c).read_bytes() for c in catalogues()} == committed_before, (
        "the test changed the real catalogues"
    )
    assert catalogues(copy) == catalogues(), "an app has a locale/ folder without a catalogue"

    problems = []
    for catalogue in catalogues():
        regenerated = {e.key: e for e in messages(parse_po(copy / catalogue))}
        committed = {e.key: e for e in messages(parse_po(BASE_DIR / catalogue))}
        new = [regenerated[key] for key in regenerated.keys() - committed.keys()]
        gone = [committed[key] for key in committed.keys() - regenerated.keys()]
        if new:
            problems.append(f"{catalogue}: {len(new)} source strings missing:\n{_listing(new)}")
        if gone:
            problems.append(f"{catalogue}: {len(gone)} entries no longer used:\n{_listing(gone)}")
    assert not problems, (
        "\n".join(problems) + "\nRun `make messages`, translate the new entries and commit."
    )


@pytest.mark.django_db
def test_pages_are_danish_by_default(client):
    response = client.get("/konto/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="da"' in content
    assert "Log ind på Dagtilbudsportalen" in content
    assert response.headers["Content-Language"] == "da"
