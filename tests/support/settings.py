"""One way for a test to build :class:`~ipwire.config.Settings`: a real config file, loaded.

A test writes what it needs as TOML text, as keyword values, or both; the values are merged
into the text's tables and the whole is written to ``<folder>/ipwire.toml`` and loaded with an
empty environment, so nothing from the developer's shell leaks in.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ipwire.config import Settings, load_settings

__all__ = ["make_settings", "toml_text"]


def _value(value: object) -> str:
    # JSON's strings, numbers, booleans and arrays of them are valid TOML values.
    if isinstance(value, Path):
        value = value.as_posix()
    if isinstance(value, Mapping):
        raise TypeError("nested tables are not supported; write them as TOML text")
    return json.dumps(value)


def _is_table_array(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def toml_text(data: Mapping[str, Any]) -> str:
    """``data`` as TOML: top-level keys first, then one table (or array of tables) per mapping."""
    lines = [
        f"{k} = {_value(v)}"
        for k, v in data.items()
        if not isinstance(v, Mapping) and not _is_table_array(v)
    ]
    for key, value in data.items():
        rows = [value] if isinstance(value, Mapping) else value if _is_table_array(value) else []
        for row in rows:
            lines.append(f"[{key}]" if isinstance(value, Mapping) else f"[[{key}]]")
            lines.extend(f"{k} = {_value(v)}" for k, v in row.items())
    return "\n".join(lines) + "\n"


def make_settings(folder: Path, toml: str = "", **values: Any) -> Settings:
    """Settings read from ``folder/ipwire.toml``, written from ``toml`` and ``values``.

    Args:
        folder: where the config file goes; relative paths in it (``data_dir = "."``) are
            relative to this folder.
        toml: config text.
        values: top-level keys; a mapping value is a table, merged key by key into the
            text's table of the same name (``email={"smtp_port": 2525}``).
    """
    data: dict[str, Any] = tomllib.loads(toml)
    for key, value in values.items():
        if isinstance(value, Mapping) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    path = folder / "ipwire.toml"
    path.write_text(toml_text(data), encoding="utf-8")
    return load_settings(path, env={})
