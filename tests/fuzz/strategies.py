"""Input strategies shared by the fuzz targets: hostile HTML, feeds, URLs and SQL."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("IPWIRE_FUZZ_EXAMPLES", "0")) or None

settings.register_profile(
    "ipwire-fuzz",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=True,
)


def fuzz_settings(default_examples: int) -> settings:
    """Hypothesis settings of one target: ``default_examples`` unless overridden."""
    return settings(settings.get_profile("ipwire-fuzz"), max_examples=EXAMPLES or default_examples)


_TAGS = [
    "html",
    "head",
    "body",
    "article",
    "p",
    "div",
    "script",
    "style",
    "title",
    "meta",
    "time",
    "a",
    "h1",
    "span",
    "br",
    "noscript",
    "template",
    "svg",
    "iframe",
    "main",
]
_ATTRS = [
    'charset="{}"',
    'content="{}"',
    'href="{}"',
    'property="og:{}"',
    'datetime="{}"',
    'name="{}"',
    'type="application/ld+json"',
    'class="{}"',
    'lang="{}"',
]
_SNIPPETS = [
    "<!doctype html>",
    "<?xml version='1.0'?>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&nbsp;",
    '{"@type":"NewsArticle","articleBody":',
    "\x00",
    "\ufeff",
    "<meta charset=utf-16>",
    "<meta charset=klingon>",
    "\r\n",
    "\u202e",
    "<<<",
    ">>>",
]

text = st.text(st.characters(codec="utf-8"), max_size=300)


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """Tag soup: nested, unclosed, with odd attributes, entities and random text."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            tag = draw(st.sampled_from(_TAGS))
            attrs = " ".join(
                a.format(draw(st.text(max_size=20)))
                for a in draw(st.lists(st.sampled_from(_ATTRS), max_size=3))
            )
            parts.append(f"<{tag} {attrs}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(_TAGS))}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(_SNIPPETS)))
        else:
            parts.append(draw(text))
    return "".join(parts)


documents = st.one_of(html_documents(), text, st.binary(max_size=2000))


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """RSS/Atom-shaped documents with broken structure, odd dates and hostile links."""
    links = st.one_of(
        st.sampled_from(
            [
                "https://example.com/a",
                "/relative",
                "javascript:alert(1)",
                "",
                "::",
                "http://[::1",
                "https://example.com/%zz",
                "mailto:x@y",
            ]
        ),
        st.text(max_size=60),
    )
    dates = st.one_of(
        st.sampled_from(
            [
                "Mon, 99 Foo 2026 25:61:61 +9999",
                "2026-13-45T99:99",
                "",
                "0",
                "Tue, 10 Jun 2003 04:00:00 GMT",
            ]
        ),
        text,
    )
    items = []
    for _ in range(draw(st.integers(0, 8))):
        items.append(
            f"<item><title>{draw(text)}</title><link>{draw(links)}</link>"
            f"<pubDate>{draw(dates)}</pubDate><guid>{draw(links)}</guid></item>"
        )
    body = "".join(items)
    wrapper = draw(
        st.sampled_from(
            [
                '<?xml version="1.0"?><rss version="2.0"><channel>{}</channel></rss>',
                '<feed xmlns="http://www.w3.org/2005/Atom">{}</feed>',
                "<rss><channel>{}",  # truncated
                "{}",
                '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                "<rss><channel>{}&b;</channel></rss>",
            ]
        )
    )
    doc = wrapper.format(body)
    if draw(st.booleans()):
        doc += draw(text)
    return (
        doc.encode("utf-8", "surrogatepass")
        if draw(st.booleans())
        else doc.encode(draw(st.sampled_from(["utf-8", "latin-1", "utf-16"])), "replace")
    )


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTPS", "ftp", "", "javascript", "hTTp"]))
    host = draw(
        st.one_of(
            st.sampled_from(
                [
                    "example.com",
                    "EXAMPLE.com.",
                    "[::1]",
                    "xn--bcher-kva.example",
                    "bücher.example",
                    "127.0.0.1",
                    "",
                    "a..b",
                    "user:pw@host",
                ]
            ),
            st.text(max_size=20),
        )
    )
    port = draw(st.sampled_from(["", ":80", ":443", ":0", ":99999", ":abc"]))
    path = draw(st.text(max_size=40))
    query = "&".join(
        f"{k}={v}"
        for k, v in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["utm_source", "fbclid", "id", "a", "B", "", "%75tm_x"]),
                    st.text(max_size=10),
                ),
                max_size=4,
            )
        )
    )
    frag = draw(st.text(max_size=10))
    sep = draw(st.sampled_from(["://", ":/", ":", "//"]))
    return f"{scheme}{sep}{host}{port}/{path}?{query}#{frag}"


_SQL_WORDS = [
    "SELECT",
    "WITH",
    "VALUES",
    "EXPLAIN",
    "PRAGMA",
    "INSERT",
    "UPDATE",
    "DELETE",
    "DROP",
    "CREATE",
    "ATTACH",
    "DETACH",
    "VACUUM",
    "REINDEX",
    "COPY",
    "SET",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "GRANT",
    "LOCK",
    "NOTIFY",
    "CALL",
    "DO",
    "TABLE",
    "SHOW",
    "INTO",
    "FROM",
    "WHERE",
    "article",
    "sqlite_master",
    "pg_sleep(1)",
    "load_extension('x')",
    "writefile('x','y')",
    "pg_terminate_backend(1)",
    "set_config('a','b',false)",
    "nextval('s')",
    "lo_import('/etc/passwd')",
    "*",
    "1",
    "count(*)",
    ";",
    "--",
    "/*",
    "*/",
    "'",
    '"',
    "$$",
    "$tag$",
    "E'\\''",
    ":p",
    ":q",
    "?",
    "%s",
    "%(x)s",
    "$1",
    "(",
    ")",
    ",",
    "=",
    "journal_mode",
    "query_only",
    "= OFF",
    "user_version",
    "RETURNING",
    "FOR UPDATE",
    "ON CONFLICT",
    "AS",
    "UNION",
    "LIMIT",
    "\x00",
    "\n",
    "[",
    "]",
    "`",
]

sql_texts = st.one_of(
    st.lists(st.sampled_from(_SQL_WORDS), max_size=12).map(" ".join),
    st.lists(st.sampled_from(_SQL_WORDS), max_size=12).map("".join),
    text,
)
sql_params = st.dictionaries(
    st.sampled_from(["p", "q", "r", "", "1", "p q"]),
    st.one_of(
        st.none(),
        st.integers(),
        st.floats(allow_nan=True),
        st.text(max_size=20),
        st.binary(max_size=10),
        st.booleans(),
    ),
    max_size=3,
)
