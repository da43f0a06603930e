"""Domain errors raised by ``store``; callers catch these, never driver exceptions."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error ``store`` raises on purpose."""


class DatabaseUnavailable(StoreError):
    """The database cannot be reached or opened (server down, bad URL, unwritable file)."""


class NotFound(StoreError):
    """A row the caller named by id does not exist."""


class InvalidData(StoreError):
    """Input that the schema would reject: an unknown enum value, a dangling entity id, …"""


class MigrationError(StoreError):
    """Migrations could not be located or applied."""
