"""The hash-locked requirements agree with pyproject.toml, and each install uses them:
a pin changed in pyproject.toml without `make lock` fails here, not on a fresh machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for line in requirements:
        match = PIN.match(line)
        assert match, f"not an exact pin: {line}"
        found[_name(match.group(1))] = match.group(2)
    return found


def locked(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    entries = re.findall(
        r"^([A-Za-z0-9_.-]+)==(\S+)(?: ;[^\\\n]*)? \\\n"
        r"((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
        text,
        re.M,
    )
    listed = re.findall(r"^[A-Za-z0-9_.-]+==", text, re.M)
    assert len(entries) == len(listed), f"{name}.txt has a package without hashes"
    return {_name(package): version for package, version, _hashes in entries}


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


BASE = pins(PROJECT["dependencies"])
EXTRAS = {extra: pins(packages) for extra, packages in PROJECT["optional-dependencies"].items()}


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("production", []), ("dev", ["local", "dev"]), ("bench", ["local", "dev", "bench"])],
)
def test_each_lock_holds_exactly_the_pins_of_pyproject(lock, extras):
    packages = locked(lock)
    wanted = dict(BASE)
    for extra in extras:
        wanted.update(EXTRAS[extra])
    assert {name: packages.get(name) for name in wanted} == wanted


def test_the_production_lock_has_no_local_servers_or_tools():
    packages = locked("production")
    for extra in ("local", "dev", "bench"):
        for name in EXTRAS[extra]:
            assert name not in packages or name in BASE, name


def test_make_and_the_image_install_from_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes --no-deps -r requirements/dev.txt" in makefile
    assert "--require-hashes --no-deps -r requirements/production.txt" in dockerfile
    assert not re.search(r"pip install[^\n]*(\.\[|\s\.\s|\s\.$)", makefile + dockerfile, re.M)
