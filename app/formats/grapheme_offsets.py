"""Telling offsets that count grapheme clusters from offsets that count code points.

Some annotation tools count user-perceived characters (a ``\r\n``, an emoji ZWJ sequence,
a flag as one). Read by code points, their spans after such a cluster land a little early:
they cut words or clusters. ``counts_graphemes`` decides for a whole file: clusters when
reading by them breaks nothing and reading by code points breaks something that proves it
(an offset between ``\r`` and ``\n``, a stated span text found only by clusters), or, with
emoji alone, when every span read by clusters sits on word boundaries while two or more
that read differently by code points cut a word or a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.graphemes import cluster_starts, has_clusters, splits_cluster

StatedSpan = tuple[int, int, str | None]
"""A span as a file states it: start, end, and its text when the file gives one."""


def _trouble(text: str, spans: list[StatedSpan], graphemes: bool) -> list[tuple[bool, bool]]:
    """For each span of a line read in one unit: (hard, soft) problems. Hard: outside the
    text, an end inside a cluster, a stated text that differs. Soft: an end inside a word or
    on white space."""
    starts = cluster_starts(text)
    found = []
    for start, end, said in spans:
        if graphemes:
            if not 0 <= start < end < len(starts):
                found.append((True, True))
                continue
            start, end = starts[start], starts[end]
        elif not 0 <= start < end <= len(text):
            found.append((True, True))
            continue
        covered = text[start:end]
        hard = splits_cluster(starts, start) or splits_cluster(starts, end)
        if said is not None:
            hard = hard or said.replace("\r\n", "\n") != covered.replace("\r\n", "\n")
        soft = (
            (start > 0 and text[start - 1].isalnum() and text[start].isalnum())
            or (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())
            or covered[0].isspace()
            or covered[-1].isspace()
        )
        found.append((hard, soft))
    return found


def counts_graphemes(lines: Iterable[tuple[int, str, list[StatedSpan]]]) -> bool:
    """True when a file's offsets fit grapheme clusters and not code points.

    ``lines`` holds each document's line number, raw text and spans as the file states them:
    ``(start, end, stated text or None)``.
    """
    points: list[tuple[bool, bool]] = []
    clusters: list[tuple[bool, bool]] = []
    shifted: set[tuple[int, int, int]] = set()
    proof = False
    for number, text, spans in lines:
        if not spans or not has_clusters(text):
            continue
        read = _trouble(text, spans, graphemes=False)
        points.extend(read)
        clusters.extend(_trouble(text, spans, graphemes=True))
        starts = cluster_starts(text)
        shifted.update(
            (number, start, end)
            for (start, end, _), problems in zip(spans, read, strict=True)
            if any(problems) and end < len(starts) and starts[end] != end
        )
        proof = proof or "\r\n" in text or any(said is not None for _, _, said in spans)
    if not points or any(hard for hard, _ in clusters):
        return False
    if proof and any(hard for hard, _ in points):
        return True  # an offset between \r and \n, or a stated text found only by clusters
    # emoji alone prove nothing: a span may cut anything. Clusters win when every span read
    # that way sits on word boundaries while two or more that read differently by code
    # points cut a word or a cluster
    return not any(soft for _, soft in clusters) and len(shifted) >= 2
