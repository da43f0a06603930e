"""Parse rendered HTML and list everything that could run script or leave the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

URL_ATTRS = {"href", "src", "action", "formaction", "srcdoc", "xlink:href", "poster", "data"}


@dataclass
class Audit:
    tags: list[str] = field(default_factory=list)
    scripts: list[dict[str, str | None]] = field(default_factory=list)
    script_text: list[str] = field(default_factory=list)
    event_attrs: list[tuple[str, str]] = field(default_factory=list)
    urls: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attr, value)
    metas: list[dict[str, str | None]] = field(default_factory=list)
    style_attrs: int = 0

    def links(self) -> list[str]:
        return [v for t, a, v in self.urls if a == "href" and t == "a"]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = Audit()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = self.audit
        a.tags.append(tag)
        d = dict(attrs)
        if tag == "script":
            a.scripts.append(d)
            self._in_script = True
        if tag == "meta":
            a.metas.append(d)
        for name, value in attrs:
            if name.startswith("on"):
                a.event_attrs.append((tag, name))
            if name in URL_ATTRS and value is not None:
                a.urls.append((tag, name, value))
            if name == "style":
                a.style_attrs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.audit.script_text.append(data)


def audit(html: str) -> Audit:
    p = _Parser()
    p.feed(html)
    p.close()
    return p.audit


def is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def is_relative_page(url: str) -> bool:
    """A link inside the site: no scheme, no protocol-relative host."""
    return ":" not in url.split("/", 1)[0] and not url.startswith("//")
