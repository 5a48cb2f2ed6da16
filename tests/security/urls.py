"""Every URL pattern of the project, named, with a way to build a concrete path for it."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def all_patterns() -> list[tuple[str, str]]:
    """(name, pattern) for every URL the project answers, including included apps."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or ""
                full = f"{namespace}:{name}" if namespace and name else name
                yield full, prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))
