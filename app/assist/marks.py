"""Find quoted stretches by reading quotation marks as a small state machine.

News text mixes straight "…", curly “…”, guillemets «…» and »…«, German „…“ and single
‘…’ or '…' quotes. A quote that runs over several paragraphs leaves its paragraph open
and the next paragraph reopens it with the same mark; a quote never closed ends with its
paragraph. Single marks double as apostrophes (don't, Troufanov's, the players' union), so a
single mark opens a quote only at a word start and only when its closing mark follows in
the same paragraph. Only outermost quotes are reported: marks inside a quote of another
kind are nested quotes and stay part of the content.
"""

from __future__ import annotations

from dataclasses import dataclass

# opening mark -> the marks that close it
_CLOSERS: dict[str, str] = {
    '"': '"',
    "“": '”“"',  # some sources close with a second opening or a straight mark
    "„": "“”",
    "«": "»",
    "»": "«",
    "‘": "’",
    "'": "'",
    "‚": "‘’",
}
_SINGLE = "‘'‚"
_DOUBLED = "\x01"
_OPEN_AFTER = " \t\n\u00a0([{—–-/:;,"


@dataclass(frozen=True)
class Quoted:
    """A quoted stretch: ``start`` at its opening mark, ``end`` after its closing mark.

    ``closed`` is False for a quote that its paragraph (or the text) left open; then
    ``end`` is the end of the last quoted paragraph's words. ``paragraphs`` counts the
    paragraphs the quote runs over.
    """

    start: int
    end: int
    mark: str
    closed: bool = True
    paragraphs: int = 1
    width: int = 1
    """Characters in each mark: 2 for doubled apostrophes ''like this''."""

    @property
    def inner_start(self) -> int:
        """Offset of the first character after the opening mark."""
        return min(self.start + self.width, self.end)

    @property
    def inner_end(self) -> int:
        """Offset of the closing mark (or of the end, for an unclosed quote)."""
        return max(self.end - self.width, self.inner_start) if self.closed else self.end


def _is_word(c: str) -> bool:
    return c.isalnum()


def _may_open(text: str, i: int) -> bool:
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after == _DOUBLED:
        after = text[i + 2] if i + 2 < len(text) else " "
    if after.isspace():
        return False
    if mark in "“„«":
        return True
    if before not in _OPEN_AFTER and not before.isspace() and before not in "\"“‘'«»„":
        return False
    if mark in _SINGLE:
        return _single_closes(text, i)
    return True


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return _is_word(before) and _is_word(after)


def _single_closes(text: str, i: int) -> bool:
    """True when a single quote opened at ``i`` is closed before its paragraph ends."""
    closers = _CLOSERS[text[i]]
    stop = text.find("\n", i)
    stop = len(text) if stop < 0 else stop
    j = i + 1
    while j < stop:
        if text[j] in closers and not _is_apostrophe(text, j) and not text[j - 1].isspace():
            return True
        j += 1
    return False


def _words_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing white space, never before ``start``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_quoted(original: str) -> list[Quoted]:
    """Every outermost quoted stretch of ``text``, in order; never raises."""
    # some papers write ''quotes'' with doubled apostrophes: read them as a straight double
    # quote followed by a placeholder, which keeps every offset
    text = original.replace("''", '"' + _DOUBLED) if "''" in original else original
    found: list[Quoted] = []
    n = len(text)
    i = 0
    mark = ""
    start = 0
    paragraphs = 1
    width = 1
    while i < n:
        c = text[i]
        if not mark:
            if c in _CLOSERS and _may_open(text, i):
                mark, start, paragraphs = c, i, 1
                width = 2 if text[i + 1 : i + 2] == _DOUBLED else 1
            i += 1
            continue
        if c == "\n":
            # the next paragraph reopening with the same mark continues this quote
            j = i
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] == mark and j + 1 < n and not text[j + 1].isspace():
                paragraphs += 1
                i = j + 1
                continue
            end = _words_end(text, start, i)
            if end > start + width:
                found.append(Quoted(start, end, mark, False, paragraphs, width))
            mark = ""
            i += 1
            continue
        if c in _CLOSERS[mark]:
            if mark in _SINGLE and _is_apostrophe(text, i):
                i += 1
                continue
            if c == mark and mark in "“«" and _may_reopen(text, i):
                # a second opening mark at a word start: the first quote was left open
                end = _words_end(text, start, i)
                if end > start + width:
                    found.append(Quoted(start, end, mark, False, paragraphs, width))
                start, paragraphs = i, 1
                i += 1
                continue
            if i > start + width:
                end = i + 2 if text[i + 1 : i + 2] == _DOUBLED else i + 1
                found.append(Quoted(start, end, mark, True, paragraphs, width))
            mark = ""
        i += 1
    if mark:
        end = _words_end(text, start, n)
        if end > start + width:
            found.append(Quoted(start, end, mark, False, paragraphs, width))
    return found


def _may_reopen(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isspace() and not after.isspace() and after not in ",.;:!?"
