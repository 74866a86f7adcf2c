"""The project's own model: trained from annotated documents, kept in a folder, suggesting.

A model folder holds the spaCy pipeline (``pipeline/``) and its card (``card.json``): its
version (one more than the model it replaced), the labels it proposes, what it was trained
from and how much, its held-out figures per label next to the most-frequent-label
baseline's, and how often its spans were right per band of its own confidence.

A suggestion's confidence is calibrated on the held-out documents: the beam's marginal
probability of the span (see ``tagger``) is replaced by the precision the model had on
held-out spans of the same band, shrunk towards the marginal when that band held few spans.
So a confidence of 0.7 says that spans like it were right about 70 % of the time on
held-out text, and a threshold means what it says.

A new model is written beside the old one and moved into place only when complete, so a
failed or interrupted training leaves the previous model as it was.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.assist.held_out import (
    MostFrequentLabel,
    TrainingDocument,
    calibrated,
    calibration,
    figures,
    split,
)
from app.assist.suggester import ProjectContext, Provenance, Suggestion
from app.assist.tagger import Tagger
from app.core.errors import GlossaError, InputError

CARD = "card.json"
PIPELINE = "pipeline"
MIN_DOCUMENTS = 10
"""Fewer annotated documents leave too few to learn from and to measure on."""
RULE = "entity-recogniser"


@dataclass(frozen=True)
class ModelCard:
    """What a saved model is, what it learnt from, and how well it did on held-out text."""

    version: int
    trained_at: str
    source: str
    """Whose spans it learnt: "annotator NAME" or "gold layer"."""
    lang: str
    base: str
    """The installed pipeline it started from, or "" for a blank one."""
    labels: tuple[str, ...]
    training_documents: int
    held_out_documents: int
    training_spans: int
    dropped_spans: int
    passes: int
    seconds: float
    figures: tuple[dict[str, Any], ...] = ()
    """Held-out precision, recall and F1 per label, then for "all"."""
    baseline: tuple[dict[str, Any], ...] = ()
    """The same for the most-frequent-label baseline."""
    held_out: tuple[str, ...] = field(default=())
    """The ids of the held-out documents."""
    calibration: tuple[dict[str, Any], ...] = ()
    """Per band of the model's raw confidence: held-out spans proposed in it, and right."""

    @classmethod
    def read(cls, folder: Path) -> ModelCard | None:
        """The card of the model in ``folder``, or None when there is none (or it is unreadable)."""
        try:
            data = json.loads((folder / CARD).read_text(encoding="utf-8"))
            data["labels"] = tuple(data["labels"])
            data["figures"] = tuple(data.get("figures", ()))
            data["baseline"] = tuple(data.get("baseline", ()))
            data["held_out"] = tuple(data.get("held_out", ()))
            data["calibration"] = tuple(data.get("calibration", ()))
            return cls(**data)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def write(self, folder: Path) -> None:
        """Write the card into ``folder``."""
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2)
        (folder / CARD).write_text(text + "\n", encoding="utf-8")

    def rows(self) -> list[tuple[str, int, str, str, str, str, str, str]]:
        """Per label (then "all"): held-out spans, the model's precision, recall and F1, and
        the baseline's, as percentages for a table."""
        shown = []
        for row in self.figures:
            base = self.figure(row["label"], baseline=True) or {}
            shown.append(
                (
                    row["label"],
                    row["gold"],
                    *(f"{100 * row[k]:.1f}" for k in ("precision", "recall", "f1")),
                    *(f"{100 * base.get(k, 0.0):.1f}" for k in ("precision", "recall", "f1")),
                )
            )
        return shown

    def describe(self) -> str:
        """One line: the version, what it learnt from and how long it took."""
        start = f"started from {self.base}" if self.base else f"blank {self.lang} pipeline"
        return (
            f"model {self.version}: {self.training_spans} span(s) in "
            f"{self.training_documents} document(s) of the {self.source}, "
            f"{self.held_out_documents} held out; {start}, {self.passes} pass(es), "
            f"{self.seconds:.1f} s"
        )

    def bands(self) -> str:
        """How often held-out spans were right per band of the model's raw confidence."""
        shown = [
            f"{band['low']:.2f}-{band['high']:.2f}: {band['correct']} of {band['spans']} right"
            for band in self.calibration
            if band["spans"]
        ]
        return "; ".join(shown) or "no held-out span proposed"

    def figure(self, label: str, baseline: bool = False) -> dict[str, Any] | None:
        """The held-out figures of ``label`` ("all" for the total)."""
        rows = self.baseline if baseline else self.figures
        return next((row for row in rows if row["label"] == label), None)


def train_model(
    documents: Sequence[TrainingDocument],
    labels: Sequence[str],
    folder: Path,
    *,
    source: str,
    lang: str = "en",
    base: str = "",
    passes: int = 10,
    stop: Callable[[], bool] | None = None,
) -> ModelCard:
    """Train a model of ``labels`` (those with spans) on ``documents`` (those holding spans
    of them), measure it on the held-out part against the baseline, and save it in
    ``folder`` (replacing the model there only once the new one is written in full)."""
    wanted = set(labels)
    annotated = [d for d in documents if any(s[2] in wanted for s in d.spans)]
    if len(annotated) < MIN_DOCUMENTS:
        raise InputError(
            f"too few annotated documents to train a model: {len(annotated)} of the "
            f"{source} hold spans of {', '.join(labels) or 'no entity label'}; at least "
            f"{MIN_DOCUMENTS} are needed"
        )
    # a label nobody used yet is left out: the model could only learn never to propose it
    present = {label for d in annotated for _, _, label in d.spans}
    labels = [label for label in labels if label in present]
    wanted = set(labels)
    training, held_out = split(annotated)
    tagger = Tagger.starting_from(base, labels) if base else Tagger.blank(lang, labels)
    outcome = tagger.train(training, passes, fresh=not base, stop=stop)
    truth = [[s for s in d.spans if s[2] in wanted] for d in held_out]
    tagged = [tagger.tag(d.text) for d in held_out]
    guessed = [[(s, e, label) for s, e, label, _ in spans] for spans in tagged]
    baseline = MostFrequentLabel(training)
    previous = ModelCard.read(folder)
    card = ModelCard(
        version=(previous.version if previous else 0) + 1,
        trained_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        source=source,
        lang=tagger.nlp.lang,
        base=base,
        labels=tuple(labels),
        training_documents=len(training),
        held_out_documents=len(held_out),
        training_spans=outcome.spans,
        dropped_spans=outcome.dropped,
        passes=outcome.passes,
        seconds=round(outcome.seconds, 2),
        figures=tuple(f.as_dict() for f in figures(truth, guessed, labels)),
        baseline=tuple(
            f.as_dict() for f in figures(truth, [baseline.tag(d.text) for d in held_out], labels)
        ),
        held_out=tuple(d.key for d in held_out),
        calibration=tuple(calibration(truth, tagged)),
    )
    _save(tagger, card, folder)
    return card


def _save(tagger: Tagger, card: ModelCard, folder: Path) -> None:
    old = folder.with_name(folder.name + ".old")
    fresh: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=".new-", dir=folder.parent))
        tagger.save(str(fresh / PIPELINE))
        card.write(fresh)
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        try:
            fresh.rename(folder)
        except OSError:
            if old.exists() and not folder.exists():
                old.rename(folder)  # the previous model stays in use
            raise
        fresh = None
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise GlossaError(f"cannot save the model in {folder}: {exc.strerror or exc}") from None
    finally:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)


_LOADED: dict[str, tuple[float, ModelCard, Tagger]] = {}
_LOADING = threading.Lock()


def loaded(folder: Path) -> tuple[ModelCard, Tagger] | None:
    """The model in ``folder`` with its card, loaded once and again only when replaced."""
    card_file = folder / CARD
    try:
        stamp = card_file.stat().st_mtime
    except OSError:
        return None
    with _LOADING:
        cached = _LOADED.get(str(folder))
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        card = ModelCard.read(folder)
        if card is None:
            return None
        try:
            tagger = Tagger.load(str(folder / PIPELINE))
        except (OSError, ValueError) as exc:
            raise GlossaError(f"cannot load the model in {folder}: {exc}") from None
        _LOADED[str(folder)] = (stamp, card, tagger)
        return card, tagger


class ModelSuggester:
    """Suggests the spans the project's trained model proposes, with its confidence."""

    name = "model"

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        """The model's spans in ``text`` of labels the schema still has; none when the
        project has no trained model."""
        if not context.model_folder:
            return []
        found = loaded(Path(context.model_folder))
        if found is None:
            return []
        card, tagger = found
        provenance = Provenance(self.name, RULE, str(card.version))
        suggestions = []
        for start, end, label, raw in tagger.tag(text):
            if not context.has(label) or context.is_rejected(text[start:end], label):
                continue
            confidence = calibrated(raw, card.calibration)
            suggestions.append(Suggestion(label, start, end, confidence, provenance))
        return suggestions
