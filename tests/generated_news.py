"""Short generated news articles with PERSON, ORG and GPE spans, written as native JSONL.

Names are drawn from large pools (first name x surname, stem x organisation kind), so most
names of one article never occur in another: a tagger has to learn the contexts and shapes
of names, not a list of them. Sentences come from varied templates, names in varied places.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

FIRST = (
    "Mara Ian Ada Olu Kim Lena Tomas Priya Jonas Amira Felix Nadia Oskar Ruth Samir Elif "
    "Hugo Ines Karim Lotte Milan Nora Pavel Rosa Stefan Tara Viktor Yara Anton Bea Dario "
    "Esme Farid Greta Hanna Ivo Jana Kofi Luca Mina"
).split()
SURNAME = (
    "Voss Holt Park Ade Sato Berg Novak Rao Lind Haddad Moreau Petrova Dahl Keller Aziz "
    "Yilmaz Brandt Costa Mansour Visser Horvat Quist Orlov Reyes Falk Mehta Sorensen Weiss "
    "Barros Fischer Ekström Gallo Ibsen Jensen Kowalski Larsen Mendes Nagy Okafor Pinto"
).split()
STEM = (
    "Harbour Northgate Riverside Alder Summit Granite Meridian Lakeshore Ironwood Beacon "
    "Crescent Silverline Westmoor Redfield Oakridge Bluewater Highpoint Eastbrook Kestrel "
    "Pinecrest Stonebridge Fairhaven Copperhill Brightwater"
).split()
KIND = "Bank Council Union Holdings Authority Group Institute Partners Trust Alliance".split()
PLACE = (
    "Oslo Lagos Lima Hanoi Quito Dakar Tallinn Porto Gdansk Bergen Accra Rabat Cusco Split "
    "Tromsø Valencia Zagreb Riga Kraków Nairobi Lyon Busan Osaka Perth Halifax Durban"
).split()
TITLE = "minister spokeswoman spokesman chairman director mayor analyst economist".split()

TEMPLATES = (
    "{P} said on {day} that {O} would open a new office in {G}.",
    "The {title} of {O}, {P}, told reporters in {G} that talks had stalled.",
    "In {G}, {O} announced record profits, according to {P}.",
    "“We will not leave,” said {P}, a {title} at {O}.",
    "{O} has hired {P} to lead its work in {G}.",
    "Officials in {G} met {P} of {O} on {day}.",
    "{P} , who joined {O} last year, warned that prices in {G} would rise.",
    "A report by {O} found that rents in {G} doubled, {P} added.",
    "Shares of {O} fell after {P} resigned.",
    "{P} flew to {G} on {day} to sign a deal with {O}.",
)
DAYS = "Monday Tuesday Wednesday Thursday Friday".split()
FILLER = (
    "The decision surprised many observers.",
    "Trading was quiet for most of the day.",
    "More details are expected next week.",
    "The figures have not been confirmed.",
)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(SURNAME)}"


def _org(rng: random.Random) -> str:
    return f"{rng.choice(STEM)} {rng.choice(KIND)}"


def article(rng: random.Random, sentences: int = 5) -> tuple[str, list[tuple[int, int, str]]]:
    """One article's text and its (start, end, label) spans."""
    text, spans = "", []
    for _ in range(sentences):
        if rng.random() < 0.2:
            text += rng.choice(FILLER) + " "
            continue
        template = rng.choice(TEMPLATES)
        names = {"P": (_person(rng), "PERSON"), "O": (_org(rng), "ORG")}
        names["G"] = (rng.choice(PLACE), "GPE")
        pieces = template.replace("{day}", rng.choice(DAYS)).replace("{title}", rng.choice(TITLE))
        position = 0
        while True:
            at = pieces.find("{", position)
            if at < 0:
                text += pieces[position:]
                break
            text += pieces[position:at]
            name, label = names[pieces[at + 1]]
            spans.append((len(text), len(text) + len(name), label))
            text += name
            position = at + 3
        text += " " if rng.random() < 0.7 else "\n"
    return text.rstrip() + "\n", spans


def write_project(
    path: Path, documents: int, *, seed: int = 7, annotator: str = "ana", sentences: int = 5
) -> Path:
    """Write ``documents`` generated articles with ``annotator``'s spans to ``path``."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for number in range(documents):
            text, spans = article(rng, sentences)
            record = {
                "id": str(number + 1),
                "text": text,
                "meta": {"title": f"Business brief {number + 1}"},
                "spans": [
                    {
                        "id": str(k + 1),
                        "start": start,
                        "end": end,
                        "label": label,
                        "text": text[start:end],
                        "annotator": annotator,
                        "origin": "manual",
                        "attributes": {},
                    }
                    for k, (start, end, label) in enumerate(spans)
                ],
                "relations": [],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
