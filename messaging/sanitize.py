"""Formatted text in posts: cleaned with nh3 (the Ammonia sanitizer) before it is stored.

Staff write in the post editor (static/js/post-editor.js: bold, italics, lists, links),
which sends simple HTML; without script, in a plain text area, where blank lines make
paragraphs (`text_to_html`). Either way a few tags are kept (bold, italics, lists, links,
small headings) and everything else, scripts, styles, event attributes and unsafe links
included, is removed on save, so templates can show the stored text as it is.
"""

from __future__ import annotations

import html
import re

import nh3

TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HAS_BLOCK = re.compile(r"<\s*(p|ul|ol|h2|h3|blockquote)\b", re.IGNORECASE)


def _paragraphs(text: str) -> str:
    """Plain text to paragraphs: blank lines separate them, single newlines break lines."""
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if c.strip()]
    return "".join(f"<p>{c.replace(chr(10), '<br>')}</p>" for c in chunks)


def text_to_html(text: str) -> str:
    """Plain text as typed (no tags meant) to paragraphs: "<" stays a character."""
    return _paragraphs(html.escape(text, quote=False))


def clean_html(text: str) -> str:
    """Safe HTML for a post body, from what a member of staff typed."""
    source = text if _HAS_BLOCK.search(text) else _paragraphs(text)
    return nh3.clean(
        source,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(cleaned: str) -> str:
    """The words of cleaned HTML, for e-mails and previews."""
    spaced = re.sub(r"</(p|li|h2|h3|blockquote)>|<br\s*/?>", "\n", cleaned)
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
