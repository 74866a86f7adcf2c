"""Every reader refuses a named pipe at once, naming it, instead of waiting for a writer."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from app.core.errors import InputError
from app.core.text import MAX_DOCUMENT_BYTES
from app.formats import FORMATS
from app.formats.opening import lines, not_a_file, open_file, read_file

READERS = [
    (name, suffix)
    for name, fmt in FORMATS.items()
    if fmt.read is not None and name != "brat"  # brat reads a .txt with its .ann
    for suffix in fmt.suffixes[:1]
]


def read_in_a_thread(format_name: str, path: Path) -> BaseException | None:
    """What reading ``path`` raised; a reader that blocks is released and fails the test."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        read = FORMATS[format_name].read
        assert read is not None
        try:
            list(read(path, None))
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # a writer comes and goes
        worker.join(timeout=20)
        pytest.fail(f"the {format_name} reader waited for a writer on {path.name}")
    return outcome[0]


@pytest.mark.parametrize(("format_name", "suffix"), READERS)
def test_every_reader_refuses_a_named_pipe(tmp_path: Path, format_name: str, suffix: str) -> None:
    pipe = tmp_path / ("documents.csv" if format_name == "csv" else f"pipe{suffix}")
    os.mkfifo(pipe)

    raised = read_in_a_thread(format_name, pipe)

    assert isinstance(raised, InputError), raised
    assert raised.source == str(pipe)
    assert "a named pipe, not a file" in raised.message


def test_brat_leaves_a_named_pipe_out_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ann spoke.", "utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 0 3\tAnn\n", "utf-8")
    os.mkfifo(tmp_path / "b.txt")

    raised = read_in_a_thread("brat", tmp_path)

    assert raised is None


def test_what_is_not_a_file(tmp_path: Path) -> None:
    regular = tmp_path / "a.txt"
    regular.write_text("x", "utf-8")
    (tmp_path / "link.txt").symlink_to(regular)
    (tmp_path / "broken.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "pipe")

    assert not_a_file(regular) is None
    assert not_a_file(tmp_path / "link.txt") is None
    assert not_a_file(tmp_path / "broken.txt") == "a broken link"
    assert not_a_file(tmp_path / "pipe") == "a named pipe"
    assert not_a_file(Path("/dev/zero")) == "a character device"
    assert not_a_file(tmp_path) == "a folder"


def test_a_device_is_refused_before_a_byte_is_read() -> None:
    with pytest.raises(InputError, match="a character device, not a file"):
        read_file(Path("/dev/zero"), MAX_DOCUMENT_BYTES)


def test_the_size_is_checked_before_reading_and_again_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 11)

    with pytest.raises(InputError, match="file is 11 bytes; the limit is 10 bytes"):
        open_file(path, 10)
    assert read_file(path, 11) == b"x" * 11


def test_a_line_over_the_limit_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"short\n" + b"y" * 100 + b"\nlast\n")

    with open_file(path, 1000) as handle:
        found = []
        too_long = "line is more than 10 bytes; the limit is 10 bytes"
        with pytest.raises(InputError, match=too_long) as raised:
            for number, raw in lines(handle, 10, str(path)):
                found.append((number, raw))
        assert handle.tell() <= 6 + 11
    assert found == [(1, b"short\n")]
    assert raised.value.line == 2
