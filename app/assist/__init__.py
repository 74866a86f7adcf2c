"""Suggestion sources for annotators: Qt-free, offline, reading only the text and a context.

``make_suggester("quotes")``, ``make_suggester("known-names")`` and
``make_suggester("model")`` (the project's trained model) give the built-in suggesters;
``register`` adds a user's own under a name; ``suggest_all`` runs several.
"""

from app.assist.known_names import KnownNamesSuggester
from app.assist.model import ModelSuggester
from app.assist.quotes import QuoteSuggester
from app.assist.suggester import (
    KnownName,
    LinkedPart,
    LinkedRelation,
    Outcome,
    ProjectContext,
    Provenance,
    Suggester,
    Suggestion,
    make_suggester,
    register,
    run_guarded,
    suggest_all,
    suggester_names,
)

register(QuoteSuggester.name, QuoteSuggester)
register(KnownNamesSuggester.name, KnownNamesSuggester)
register(ModelSuggester.name, ModelSuggester)

__all__ = [
    "KnownName",
    "KnownNamesSuggester",
    "LinkedPart",
    "LinkedRelation",
    "ModelSuggester",
    "Outcome",
    "ProjectContext",
    "Provenance",
    "QuoteSuggester",
    "Suggester",
    "Suggestion",
    "make_suggester",
    "register",
    "run_guarded",
    "suggest_all",
    "suggester_names",
]
