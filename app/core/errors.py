"""Errors that Glossa reports to its users."""

from __future__ import annotations


class GlossaError(Exception):
    """Base of every error Glossa raises on purpose."""


class InputError(GlossaError):
    """Bad input, located in a file (and line, when there is one)."""

    def __init__(self, message: str, *, source: str = "", line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        """Return ``file:line: message`` with whatever location is known."""
        where = self.source
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message

    def at(self, source: str, line: int | None = None) -> InputError:
        """Return a copy of this error located in ``source`` (and ``line``)."""
        return InputError(
            self.message,
            source=source or self.source,
            line=line if line is not None else self.line,
        )


class SpanError(GlossaError):
    """A span whose offsets or text do not fit its document."""


class ConflictError(GlossaError):
    """A change made from a state that someone else has changed meanwhile."""


class NotFoundError(GlossaError):
    """A document, span or label that does not exist."""


class StorageError(GlossaError):
    """The database cannot be opened, read or written: locked, full, read-only, gone.

    The message names the database (its password masked) and says why in plain words;
    ``reason`` is those words alone and ``detail`` the driver's own one-line message.
    """

    def __init__(self, message: str, *, reason: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message
        self.detail = detail or self.reason
