"""One coded exception hierarchy for everything a user can cause.

The CLI catches :class:`ClientguardError` and prints ``code: message`` with no
traceback; anything else is a bug and is allowed to crash loudly.
"""

from __future__ import annotations

from dataclasses import dataclass


class ClientguardError(Exception):
    """Base class: an error the user can understand and fix."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True)
class Where:
    """A place in an input file: the file plus a line, byte offset or JSON path."""

    file: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.where}" if self.where else self.file


class InputError(ClientguardError):
    """Bad user input that is tied to a file and a place in it."""

    code = "E100"

    def __init__(self, message: str, where: Where) -> None:
        super().__init__(message)
        self.where = where

    def __str__(self) -> str:
        return f"{self.code}: {self.where}: {self.message}"


class UnknownFormatError(InputError):
    """The content of a file matches none of the importers."""

    code = "E101"


class TruncatedFileError(InputError):
    """A structured file that breaks off part-way (a cut download, a full disk, a bad edit).

    ``--skip-bad`` leaves out broken records and imports the rest; for a file that cannot
    be read past a point there is no "rest" worth keeping (it would import the first N
    messages and report one skipped record while everything after the break is lost), so
    this error always stops the import, with or without ``--skip-bad``.
    """

    code = "E103"


class MalformedRecordError(InputError):
    """One record (message, line, mail) inside an otherwise readable file is broken."""

    code = "E102"


class ConfigError(ClientguardError):
    """A setting, a case file or a command-line option is wrong."""

    code = "E200"


class StorageError(ClientguardError):
    """The database cannot be opened, migrated or written."""

    code = "E300"


class NotFoundError(ClientguardError):
    """A client, contact, invoice or other named object does not exist."""

    code = "E400"


class ModelError(ClientguardError):
    """A shipped model or rule set is missing, corrupt or of the wrong version."""

    code = "E500"


class AccessError(ClientguardError):
    """Team mode: the user may not change this client (not granted to them).

    Raised inside a write (an import, a contract) so the whole transaction rolls back:
    a specialist's upload must neither add to nor take a conversation from a client
    they cannot open.
    """

    code = "E600"
