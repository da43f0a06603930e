"""Write pages only when they change, and remember what was written (the manifest).

The manifest (``.ipwire-manifest.json`` in the output folder) maps every page to its family,
the data signature it was rendered from and the hash of its bytes. A page whose signature is
unchanged is not rendered at all; a rendered page whose bytes are unchanged is not rewritten
(its modification time stays, so static hosts and rsync see no change).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST_NAME", "SiteWriter"]

log = logging.getLogger(__name__)

MANIFEST_NAME = ".ipwire-manifest.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class SiteWriter:
    """Tracks one build: what to skip, what was written, what is left over."""

    out: Path
    version: str
    full: bool = False
    old: dict[str, dict[str, Any]] = field(default_factory=dict)
    new: dict[str, dict[str, Any]] = field(default_factory=dict)
    written: int = 0
    unchanged: int = 0
    rendered: int = 0
    deleted: int = 0

    @classmethod
    def open(cls, out: Path, version: str, full: bool) -> SiteWriter:
        """Load the previous manifest; a different template/code version forces a full build."""
        out.mkdir(parents=True, exist_ok=True)
        old: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads((out / MANIFEST_NAME).read_text("utf-8"))
            if data.get("version") == version:
                old = data.get("pages", {})
            else:
                log.info("site templates or code changed: full rebuild")
                full = True
        except (OSError, ValueError):
            full = True
        return cls(out=out, version=version, full=full, old=old)

    def fresh(self, path: str, sig: str) -> bool:
        """True when ``path`` was built from ``sig`` and is still on disk: keep it as is."""
        entry = self.old.get(path)
        if self.full or entry is None or entry.get("sig") != sig:
            return False
        if not (self.out / path).is_file():
            return False
        self.new[path] = entry
        return True

    def keep_family(self, family: str) -> None:
        """Carry over every page of ``family`` from the previous build (not re-rendered)."""
        for path, entry in self.old.items():
            if entry.get("family") == family and (self.out / path).is_file():
                self.new[path] = entry

    def write(self, path: str, content: str | bytes, *, family: str, sig: str) -> None:
        """Record ``path`` and write it if its bytes differ from what is on disk."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = _sha(data)
        self.rendered += 1
        target = self.out / path
        entry = self.old.get(path)
        if entry is not None and entry.get("sha") == digest and target.is_file():
            self.unchanged += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Atomic: a reader (or a static host) never sees half a page.
            tmp = target.with_name(f".{target.name}.tmp")
            try:
                with open(tmp, "wb") as f:
                    f.write(data)
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            self.written += 1
        self.new[path] = {"family": family, "sig": sig, "sha": digest}

    def finish(self) -> None:
        """Delete pages of the previous build that no longer exist; save the manifest."""
        for path in sorted(set(self.old) - set(self.new)):
            target = self.out / path
            if target.is_file():
                target.unlink()
                self.deleted += 1
        data = {"version": self.version, "pages": dict(sorted(self.new.items()))}
        text = json.dumps(data, indent=0, sort_keys=True)
        target = self.out / MANIFEST_NAME
        try:
            if target.read_text("utf-8") == text:
                return  # nothing changed: leave the folder untouched
        except OSError:
            pass
        tmp = self.out / (MANIFEST_NAME + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)

    @property
    def pages_total(self) -> int:
        return len(self.new)
