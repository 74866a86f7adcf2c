"""Opening a file to import: a regular file only, and only when it is within its size limit.

A FIFO would block the reader for ever, and a device such as ``/dev/zero`` never ends (and
says its size is 0): every reader opens its files here, which refuses both before reading a
byte, and checks the size the file system gives against the limit before reading it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.core.errors import InputError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file(path: Path) -> str | None:
    """What ``path`` is when it is no regular file (following links), else None.

    A symbolic link to a regular file is a regular file; a link to nothing is "a broken
    link".
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a broken link" if os.path.islink(path) else "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return _kind(mode)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_file(path: Path, limit: int) -> BinaryIO:
    """Open ``path`` for reading bytes, or raise ``InputError`` naming it.

    Refused without reading: anything but a regular file (or a link to one), and a file
    larger than ``limit`` bytes.
    """
    source = str(path)
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting
    try:
        fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None
    try:
        info = os.fstat(fd)  # of what was opened, so a file swapped meanwhile is seen
        kind = _kind(info.st_mode)
        if kind is not None:
            raise InputError(f"{kind}, not a file; only regular files are read", source=source)
        if info.st_size > limit:
            raise InputError(
                f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes", source=source
            )
        if nonblocking:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` (see ``open_file``); a file that grew past ``limit`` meanwhile
    is refused too."""
    with open_file(path, limit) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    if len(data) > limit:
        raise InputError(
            f"file is more than {limit:,} bytes; the limit is {limit:,} bytes", source=str(path)
        )
    return data


def lines(handle: BinaryIO, limit: int, source: str) -> Iterator[tuple[int, bytes]]:
    """``(line number, line)`` of a file, each line (with its newline) at most ``limit`` bytes.

    A longer line is refused once ``limit`` bytes of it are read, not after reading it whole.
    """
    number = 0
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit:
            raise InputError(
                f"line is more than {limit:,} bytes; the limit is {limit:,} bytes",
                source=source,
                line=number,
            )
        yield number, raw


PIECE_BYTES = 1024 * 1024
"""Bytes read at a time by ``line_pieces``."""


def line_pieces(
    handle: BinaryIO, limit: int, source: str, size: int = PIECE_BYTES
) -> Iterator[tuple[int, bytes]]:
    """``(number of the first line, whole lines)`` of a file, read about ``size`` bytes at a
    time: each piece ends after a newline, except the file's last line when it has none.

    A line (with its newline) of more than ``limit`` bytes is refused as ``lines`` refuses
    it, after the lines before it are yielded and before it is read whole.
    """
    size = max(1, min(size, limit))  # so that only a line begun in an earlier read can be long
    number = 1
    rest = b""
    while True:
        data = handle.read(size)
        if not data:
            break
        if rest:
            newline = data.find(b"\n")
            length = len(rest) + (len(data) if newline < 0 else newline + 1)
            if length > limit:
                raise InputError(
                    f"line is more than {limit:,} bytes; the limit is {limit:,} bytes",
                    source=source,
                    line=number,
                )
            data = rest + data
        cut = data.rfind(b"\n") + 1
        if cut:
            yield number, data[:cut]
            number += data.count(b"\n", 0, cut)
        rest = data[cut:]
    if rest:
        yield number, rest
