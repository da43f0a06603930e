"""Recover article bodies that a page splits over several sibling containers.

Some publishers cut the body into chunks (``<div class="body__container">`` … an ad …
``<div class="body__container">``); trafilatura then keeps the first chunk only and the rest
of the story is lost. After extraction we locate the container holding most of the extracted
paragraphs and add the prose paragraphs of containers with the *same tag and class* nearby
(under its grandparent). Only sentence-like, link-poor paragraphs are added, so lists of
related-story teasers, which also repeat a class, stay out.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import html as lxml_html

__all__ = ["add_sibling_chunks"]

_WORD_RE = re.compile(r"\w+")
_SENTENCE_END = tuple(".!?\"”’')…")
_MIN_WORDS = 10  # a paragraph worth adding: at least this many words, sentence-final
_MIN_ANCHORS = 2  # extracted paragraphs that must sit in the container to trust it
_MAX_LINK_SHARE = 0.5  # more link text than this: navigation or teasers, not prose
_LEVELS_UP = 2  # how far up from the container the sibling chunks may live


def _key(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.casefold()))


def _text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _is_prose(text: str) -> bool:
    return len(_WORD_RE.findall(text)) >= _MIN_WORDS and text.endswith(_SENTENCE_END)


def _link_share(element: lxml_html.HtmlElement, text: str) -> float:
    linked = sum(len(_text(a)) for a in element.iter("a"))
    return linked / max(1, len(text))


def add_sibling_chunks(text: str, doc: lxml_html.HtmlElement) -> str:
    """Add paragraphs from sibling containers of the extracted body's container.

    Args:
        text: The extracted body, one paragraph a line.
        doc: The parsed page it was extracted from.

    Returns:
        ``text`` with the recovered paragraphs before or after it in document order, or
        ``text`` unchanged when the page has no such chunks.
    """
    keys = {_key(line) for line in text.splitlines()}
    keys.discard("")
    if not keys:
        return text
    holders: Counter[lxml_html.HtmlElement] = Counter()
    for paragraph in doc.iter("p"):
        parent = paragraph.getparent()
        if parent is not None and _key(_text(paragraph)) in keys:
            holders[parent] += 1
    if not holders:
        return text
    container, anchors = holders.most_common(1)[0]
    css_class = container.get("class")
    if anchors < _MIN_ANCHORS or not css_class:
        return text
    root = container
    for _ in range(_LEVELS_UP):
        parent = root.getparent()
        if parent is None:
            break
        root = parent
    siblings = [
        e for e in root.iter(container.tag) if e is not container and e.get("class") == css_class
    ]
    if not siblings:
        return text
    position = {element: i for i, element in enumerate(root.iter())}
    extra: list[tuple[int, str]] = []
    for sibling in siblings:
        for paragraph in sibling.iter("p"):
            content = _text(paragraph)
            key = _key(content)
            if not key or key in keys or not _is_prose(content):
                continue
            if _link_share(paragraph, content) > _MAX_LINK_SHARE:
                continue
            keys.add(key)
            extra.append((position.get(paragraph, 0), content))
    if not extra:
        return text
    extra.sort()
    here = position[container]
    before = [content for pos, content in extra if pos < here]
    after = [content for pos, content in extra if pos > here]
    return "\n".join([*before, text, *after])
