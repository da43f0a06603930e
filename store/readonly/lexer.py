"""A small SQL tokenizer that knows where strings, quoted names and comments begin and end.

It is not a parser. It exists so that the guard can answer a few questions reliably — how many
statements are there, which word does each start with, where are the parameters — without being
fooled by a ``;`` or ``:name`` inside a string literal or a comment, which a regular expression
over the raw text would be. Both dialects are covered:

* SQLite: ``'…'`` strings, ``"…"``, ``[…]`` and backtick identifiers, non-nesting ``/* */``;
  parameters ``:name`` (ours), ``?``/``?NNN``, ``@name``, ``$name`` (refused by the guard).
* PostgreSQL: also ``E'…'`` strings with backslash escapes, ``$tag$…$tag$`` dollar quoting,
  nesting ``/* */``, ``::`` casts and ``$1`` positional parameters; ``?`` is an operator (jsonb).

Both: ``%s``/``%(name)s`` (Python DB-API style) are recognised so that they can be refused.

Unterminated strings, identifiers and comments raise :class:`QueryRejected`: the tokenizer and the
database must never disagree about where a string ends, so anything ambiguous is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from store.readonly.result import QueryRejected

__all__ = ["Dialect", "Kind", "Token", "to_pyformat", "tokenize"]

Dialect = Literal["sqlite", "postgresql"]


class Kind(Enum):
    """Token kinds."""

    SPACE = "space"
    COMMENT = "comment"
    STRING = "string"  # any literal string, including dollar-quoted bodies
    QUOTED = "quoted"  # a quoted identifier
    WORD = "word"  # keyword or bare identifier
    NUMBER = "number"
    PARAM = "param"  # :name — the only parameter style we accept
    POSITIONAL = "positional"  # ?, ?NNN, $1, %s
    OTHER_PARAM = "other_param"  # @name, $name, :1, %(name)s — named, but not our style
    SEMICOLON = "semicolon"
    LPAREN = "lparen"
    RPAREN = "rparen"
    OP = "op"  # any other punctuation


@dataclass(frozen=True)
class Token:
    """One token: its kind, its exact source text and where it starts."""

    kind: Kind
    text: str
    start: int

    @property
    def is_trivia(self) -> bool:
        """Whitespace and comments: tokens that do not change what the statement means."""
        return self.kind in (Kind.SPACE, Kind.COMMENT)

    @property
    def name(self) -> str:
        """For a PARAM token, the parameter name without its ``:``."""
        return self.text[1:]

    @property
    def upper(self) -> str:
        """Upper-cased text (for keyword comparisons)."""
        return self.text.upper()


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")
_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[0-9][0-9A-Za-z_.]*|\.[0-9][0-9A-Za-z_]*")


def _word_end(sql: str, i: int, dialect: Dialect) -> int:
    n = len(sql)
    while i < n and (
        sql[i].isalnum()
        or sql[i] == "_"
        or ord(sql[i]) > 127
        or (sql[i] == "$" and dialect != "sqlite")
    ):
        i += 1
    return i


def _quoted_end(sql: str, i: int, quote: str, what: str, *, backslash: bool = False) -> int:
    """End (exclusive) of a quoted run starting at ``sql[i] == quote``; doubled quotes escape."""
    j = i + 1
    n = len(sql)
    while j < n:
        ch = sql[j]
        if backslash and ch == "\\":
            j += 2
            continue
        if ch == quote:
            if j + 1 < n and sql[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    raise QueryRejected(f"unterminated {what} starting at character {i + 1}")


def _block_comment_end(sql: str, i: int, *, nested: bool) -> int:
    depth = 0
    j = i
    n = len(sql)
    while j < n:
        if sql.startswith("/*", j):
            depth = depth + 1 if nested or depth == 0 else depth
            j += 2
        elif sql.startswith("*/", j):
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    raise QueryRejected(f"unterminated /* comment starting at character {i + 1}")


def _scan_one(sql: str, i: int, dialect: Dialect) -> tuple[Kind, int]:
    """Kind and end (exclusive) of the token starting at ``sql[i]``."""
    ch = sql[i]
    nxt = sql[i + 1] if i + 1 < len(sql) else ""
    pg = dialect == "postgresql"
    if ch.isspace():
        j = i + 1
        while j < len(sql) and sql[j].isspace():
            j += 1
        return Kind.SPACE, j
    if ch == "-" and nxt == "-":
        j = sql.find("\n", i)
        return Kind.COMMENT, len(sql) if j < 0 else j + 1
    if ch == "/" and nxt == "*":
        return Kind.COMMENT, _block_comment_end(sql, i, nested=pg)
    if ch == "'":
        return Kind.STRING, _quoted_end(sql, i, "'", "string literal")
    if pg and ch in "eE" and nxt == "'":
        return Kind.STRING, _quoted_end(sql, i + 1, "'", "string literal", backslash=True)
    if ch == '"':
        return Kind.QUOTED, _quoted_end(sql, i, '"', "quoted identifier")
    if not pg and ch == "`":
        return Kind.QUOTED, _quoted_end(sql, i, "`", "quoted identifier")
    if not pg and ch == "[":
        j = sql.find("]", i)
        if j < 0:
            raise QueryRejected(f"unterminated [identifier] starting at character {i + 1}")
        return Kind.QUOTED, j + 1
    if ch == ";":
        return Kind.SEMICOLON, i + 1
    if ch == "(":
        return Kind.LPAREN, i + 1
    if ch == ")":
        return Kind.RPAREN, i + 1
    if ch == ":":
        if pg and nxt == ":":
            return Kind.OP, i + 2  # a cast: value::type
        m = _NAME.match(sql, i + 1)
        if m:
            return Kind.PARAM, m.end()
        if not pg and nxt.isdigit():  # SQLite reads :1 as a parameter named "1"
            return Kind.OTHER_PARAM, _word_end(sql, i + 1, dialect)
        return Kind.OP, i + 1
    if ch == "$":
        if pg:
            m = _DOLLAR_TAG.match(sql, i)
            if m:
                tag = m.group(0)
                close = sql.find(tag, m.end())
                if close < 0:
                    raise QueryRejected(f"unterminated {tag} string starting at character {i + 1}")
                return Kind.STRING, close + len(tag)
            m = _DIGITS.match(sql, i + 1)
            if m:
                return Kind.POSITIONAL, m.end()
            return Kind.OP, i + 1
        if nxt and (nxt.isalnum() or nxt == "_"):
            return Kind.OTHER_PARAM, _word_end(sql, i + 1, dialect)
        return Kind.OP, i + 1
    if ch == "?" and not pg:
        m = _DIGITS.match(sql, i + 1)
        return Kind.POSITIONAL, m.end() if m else i + 1
    if ch == "@" and not pg and (nxt.isalnum() or nxt == "_"):
        return Kind.OTHER_PARAM, _word_end(sql, i + 1, dialect)
    if ch == "%":
        # DB-API placeholders; psycopg would read them even inside string literals.
        if nxt == "s" and not (sql[i + 2 : i + 3].isalnum() or sql[i + 2 : i + 3] == "_"):
            return Kind.POSITIONAL, i + 2
        if nxt == "(":
            j = sql.find(")", i)
            if j > 0 and sql[j + 1 : j + 2] == "s":
                return Kind.OTHER_PARAM, j + 2
        return Kind.OP, i + 1
    if ch.isalpha() or ch == "_" or ord(ch) > 127:
        return Kind.WORD, _word_end(sql, i, dialect)
    m = _NUMBER.match(sql, i)
    if m:
        return Kind.NUMBER, m.end()
    return Kind.OP, i + 1


def tokenize(sql: str, dialect: Dialect) -> list[Token]:
    """Split ``sql`` into tokens; joining their texts gives back ``sql`` exactly.

    Args:
        sql: The query text.
        dialect: ``"sqlite"`` or ``"postgresql"`` (quoting and parameter rules differ).

    Returns:
        Every token, trivia (whitespace, comments) included.

    Raises:
        QueryRejected: An unterminated string, quoted identifier or comment.
    """
    tokens: list[Token] = []
    i = 0
    while i < len(sql):
        kind, end = _scan_one(sql, i, dialect)
        tokens.append(Token(kind, sql[i:end], i))
        i = end
    return tokens


def to_pyformat(tokens: list[Token]) -> str:
    """Rewrite ``:name`` parameters as psycopg's ``%(name)s`` and escape every other ``%``.

    psycopg looks for ``%`` placeholders everywhere in the text, strings and comments included,
    so a literal ``'100%'`` must be sent as ``'100%%'``.
    """
    return "".join(
        f"%({t.name})s" if t.kind is Kind.PARAM else t.text.replace("%", "%%") for t in tokens
    )
