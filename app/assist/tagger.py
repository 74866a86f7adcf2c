"""A statistical tagger trained on a project's own spans: spaCy's entity recogniser.

Why this model: the labels it learns (people, organisations, places) are names that do not
nest in each other in news, so a transition-based recogniser, which proposes
non-overlapping spans, fits them; it trains from a blank pipeline in seconds on a hundred
articles, needs no pretrained weights, and can start from an installed spaCy pipeline when
there is one. Nested spans of the learnt labels are kept longest first and counted as
dropped.

Confidence: each text is parsed with a beam of ``BEAM_WIDTH`` analyses; a span's
confidence is the share of the beam's probability mass whose analysis contains it (the
marginal probability of the span under the model). The spans proposed are those of the
best analysis.

Texts are cut at line breaks into passages, for training and for tagging alike: more,
smaller updates per pass, and a long article costs no more memory than its longest
paragraph.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.assist.held_out import TrainingDocument
from app.core.errors import GlossaError

BEAM_WIDTH = 8
DROPOUT = 0.2
LEARN_RATE = 0.001
BATCH = 8
"""Passages per update: small batches make more updates per pass, which a small project needs."""
MAX_PASSAGE = 5000
"""A line longer than this many characters is cut at its last space before it."""


@dataclass(frozen=True)
class Passage:
    """A stretch of one text, tagged on its own: where it starts, its text, its spans."""

    start: int
    text: str
    spans: tuple[tuple[int, int, str], ...] = ()


def passages(text: str, spans: Iterable[tuple[int, int, str]] = ()) -> Iterator[Passage]:
    """The lines of ``text`` (long ones cut at a space) with the spans wholly inside them,
    offsets made relative to each passage; spans crossing a cut are left out."""
    ordered = sorted(spans)
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        if end - position > MAX_PASSAGE:
            cut = text.rfind(" ", position + 1, position + MAX_PASSAGE)
            end = cut if cut > position else position + MAX_PASSAGE
        if text[position:end].strip():
            inside = tuple(
                (s - position, e - position, label)
                for s, e, label in ordered
                if position <= s and e <= end
            )
            yield Passage(position, text[position:end], inside)
        position = end + 1 if end < len(text) and text[end] in "\n " else end


@dataclass
class TrainingOutcome:
    """What training did: passes made, spans used, spans dropped (nested or off the
    tokens), losses per pass, seconds taken."""

    passes: int
    spans: int
    dropped: int
    losses: list[float]
    seconds: float


def _model_config(width: int, depth: int) -> dict[str, Any]:
    return {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 64,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": {
                "@architectures": "spacy.HashEmbedCNN.v2",
                "pretrained_vectors": None,
                "width": width,
                "depth": depth,
                "embed_size": 2000,
                "window_size": 1,
                "maxout_pieces": 3,
                "subword_features": True,
            },
        }
    }


class Tagger:
    """A spaCy pipeline whose entity recogniser proposes the project's labels."""

    def __init__(self, nlp: Any, *, new_recogniser: bool = False) -> None:
        self.nlp = nlp
        self.ner = nlp.get_pipe("ner")
        self.new_recogniser = new_recogniser
        """True when the recogniser was added to a loaded pipeline and has no weights yet."""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.ner.labels)

    @classmethod
    def blank(cls, lang: str, labels: Sequence[str], *, width: int = 64, depth: int = 2) -> Tagger:
        """A new tagger for ``labels`` from spaCy's blank pipeline of language ``lang``."""
        spacy = _spacy()

        nlp = spacy.blank(lang)
        ner: Any = nlp.add_pipe("ner", config=_model_config(width, depth))
        for label in labels:
            ner.add_label(label)
        return cls(nlp)

    @classmethod
    def starting_from(cls, base: str, labels: Sequence[str]) -> Tagger:
        """A tagger starting from the installed pipeline (or pipeline folder) ``base``: its
        recogniser if it has one, taught the project's labels, else a new one on its tokens."""
        spacy = _spacy()

        nlp = spacy.load(base)
        new = "ner" not in nlp.pipe_names
        if new:
            nlp.add_pipe("ner", config=_model_config(64, 2))
        ner: Any = nlp.get_pipe("ner")
        for label in labels:
            ner.add_label(label)
        return cls(nlp, new_recogniser=new)

    @classmethod
    def load(cls, folder: str) -> Tagger:
        """The tagger saved in ``folder``."""
        spacy = _spacy()

        return cls(spacy.load(folder))

    def save(self, folder: str) -> None:
        """Write the pipeline to ``folder``."""
        self.nlp.to_disk(folder)

    def train(
        self,
        documents: Sequence[TrainingDocument],
        passes: int = 10,
        *,
        seed: int = 0,
        fresh: bool = True,
        patience: int = 2,
        stop: Callable[[], bool] | None = None,
    ) -> TrainingOutcome:
        """Train on ``documents`` for at most ``passes`` passes, ending early once the loss
        has not fallen by 1 % for ``patience`` passes (or when ``stop()`` says so)."""
        from spacy.training import Example
        from spacy.util import filter_spans, minibatch
        from thinc.api import fix_random_seed

        started = time.perf_counter()
        fix_random_seed(seed)
        examples = []
        used = dropped = 0
        labels = set(self.labels)
        for document in documents:
            for passage in passages(document.text, document.spans):
                doc = self.nlp.make_doc(passage.text)
                aligned = [
                    doc.char_span(s, e, label=label, alignment_mode="expand")
                    for s, e, label in passage.spans
                    if label in labels
                ]
                kept = filter_spans([span for span in aligned if span is not None])
                used += len(kept)
                dropped += len(passage.spans) - len(kept)
                doc_entities = [(span.start_char, span.end_char, span.label_) for span in kept]
                examples.append(Example.from_dict(doc, {"entities": doc_entities}))
        if fresh:
            optimizer = self.nlp.initialize(lambda: examples)
        else:
            if self.new_recogniser:
                self.ner.initialize(lambda: examples, nlp=self.nlp)
            optimizer = self.nlp.resume_training()
        optimizer.learn_rate = LEARN_RATE
        losses_by_pass: list[float] = []
        order = random.Random(seed)
        others = [name for name in self.nlp.pipe_names if name != "ner"]
        with self.nlp.select_pipes(disable=others):
            for _ in range(passes):
                order.shuffle(examples)
                losses: dict[str, float] = {}
                for batch in minibatch(examples, BATCH):  # type: ignore[no-untyped-call]
                    self.nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses=losses)
                losses_by_pass.append(float(losses.get("ner", 0.0)))
                if (stop is not None and stop()) or _levelled(losses_by_pass, patience):
                    break
        seconds = time.perf_counter() - started
        return TrainingOutcome(len(losses_by_pass), used, dropped, losses_by_pass, seconds)

    def tag(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, label, confidence) of the spans the model proposes in ``text``."""
        found: list[tuple[int, int, str, float]] = []
        pieces = list(passages(text))
        docs = [self.nlp.make_doc(p.text) for p in pieces]
        others = [name for name in self.nlp.pipe_names if name != "ner"]
        for name in others:
            docs = list(self.nlp.get_pipe(name).pipe(docs))
        if not docs:
            return found
        beams = self.ner.beam_parse(docs, beam_width=BEAM_WIDTH, beam_density=0.0001)
        for piece, doc, beam in zip(pieces, docs, beams, strict=True):
            parses = self.ner.moves.get_beam_parses(beam)
            if not parses:
                continue
            marginal: dict[tuple[int, int, str], float] = {}
            for probability, entities in parses:
                for entity in entities:
                    marginal[entity] = marginal.get(entity, 0.0) + probability
            best = max(parses, key=lambda parse: parse[0])[1]
            for first, last, label in best:
                span = doc[first:last]
                found.append(
                    (
                        piece.start + span.start_char,
                        piece.start + span.end_char,
                        label,
                        min(1.0, marginal[(first, last, label)]),
                    )
                )
        return found


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise GlossaError(
            "the project's model needs spaCy, which is not installed: "
            "pip install 'glossa[model]' (or pip install spacy)"
        ) from None
    return spacy


def _levelled(losses: list[float], patience: int) -> bool:
    if len(losses) > 1 and losses[-1] <= losses[0] * 0.001:
        return True  # the training spans are learnt: more passes only overfit
    if len(losses) <= patience:
        return False
    best_before = min(losses[:-patience])
    return min(losses[-patience:]) > best_before * 0.99


def installed_pipelines() -> list[str]:
    """The spaCy pipeline packages installed on this machine, which a model may start from."""
    spacy = _spacy()

    return sorted(spacy.util.get_installed_models())
