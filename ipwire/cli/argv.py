"""Global options anywhere on the command line: ``ipwire sql … --config x.toml`` works too.

click only accepts a group's options before the subcommand. People (and crontabs) write
``ipwire run --once --config /etc/ipwire.toml -q``, so the global options found after the
subcommand are moved in front of it before click parses anything. Nothing after ``--`` moves,
and no subcommand defines an option with these names (a test checks that).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["GLOBAL_FLAGS", "GLOBAL_VALUED", "hoist_global_options"]

_END_OF_OPTIONS = "--"

#: Global options that take a value, and those that do not.
GLOBAL_VALUED = frozenset({"--config"})
GLOBAL_FLAGS = frozenset({"-v", "--verbose", "-vv", "-q", "--quiet"})


def _is_global(token: str) -> bool:
    return (
        token in GLOBAL_FLAGS or token in GLOBAL_VALUED or token.split("=", 1)[0] in GLOBAL_VALUED
    )


def hoist_global_options(args: Sequence[str], commands: Sequence[str]) -> list[str]:
    """Move the global options that follow the subcommand to before it.

    Args:
        args: the command line after the program name.
        commands: the names of the subcommands.

    Returns:
        The same tokens, global options first; ``args`` unchanged when there is no subcommand.
    """
    tokens = list(args)
    # Find the subcommand: the first token that is neither a global option nor its value.
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == _END_OF_OPTIONS:
            return tokens
        if token in GLOBAL_VALUED:
            i += 2
            continue
        if _is_global(token):
            i += 1
            continue
        break
    if i >= len(tokens) or tokens[i] not in commands:
        return tokens
    head, rest = tokens[:i], tokens[i:]
    moved: list[str] = []
    kept: list[str] = []
    j = 0
    while j < len(rest):
        token = rest[j]
        if token == _END_OF_OPTIONS:
            kept += rest[j:]
            break
        if token in GLOBAL_VALUED and j + 1 < len(rest):
            moved += rest[j : j + 2]
            j += 2
            continue
        if _is_global(token):
            moved.append(token)
        else:
            kept.append(token)
        j += 1
    return head + moved + kept
