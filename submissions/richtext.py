"""The profile's rich text: sanitised with nh3 to a few formatting tags, and its words counted without markup."""

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li"}
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
# Tags that separate words; inline ones (<b>, <i>, …) may sit inside a word and do not.
_BREAK = re.compile(r"</?(?:p|br|li|ul|ol|div|h[1-6]|tr|td|th|blockquote)\b[^>]*>", re.IGNORECASE)
_WORD = re.compile(r"\w", re.UNICODE)


def richtext_clean(value):
    """Keep only the allowed tags (no attributes, no scripts); plain text becomes paragraphs."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", value) if part.strip()]
        value = "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return nh3.clean(value, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def richtext_text(value):
    """The text without its markup."""
    return " ".join(html.unescape(nh3.clean(_BREAK.sub(" ", value or ""), tags=set())).split())


def richtext_words(value):
    """The number of words of the text without its markup (a word has at least one letter or digit)."""
    return sum(1 for token in richtext_text(value).split() if _WORD.search(token))
