"""The cost ledger of a project: what each span took, how it was made, what suggestions saved."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.ledger import Costs, LedgerEntry, costs, ledger_entries
from app.services.workspace import Workspace


@dataclass(frozen=True)
class CostReport:
    """The ledger's entries of the project's documents and their sums."""

    entries: tuple[LedgerEntry, ...]
    costs: Costs


def cost_report(workspace: Workspace) -> CostReport:
    """Read the event log and add up the project's ledger (events of other projects in the
    same database are left out)."""
    with workspace.database.reading() as uow:
        documents = set(uow.documents.ids(workspace.project_id))
        events = [
            event
            for event in uow.events.timeline()
            if event[3].get("document") is None or event[3].get("document") in documents
        ]
    entries = tuple(e for e in ledger_entries(events) if e.document in documents)
    return CostReport(entries, costs(entries, events))
