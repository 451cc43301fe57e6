"""Graded management recommendations, read from `data/management.csv`.

Each row says what a guideline or review supports for one intervention in one condition (or
topic), how strongly, where it comes from, and - where it applies - which claim of the seed
article it corrects. Guideline rows use NICE's own wording, whose strength is part of the word:
"offer" / "do not offer" are strong, "consider" is conditional. Rows resting on a review instead
of a guideline say "supported", "not supported" or "uncertain" and are marked not graded.

>>> from kneesci.management import load_management
>>> mg = load_management()
>>> mg["lbp_acupuncture"].recommendation
'do_not_offer'
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model.errors import DataError, UnknownIdError
from ..model.knowledge_base import KnowledgeBase, load
from ..model.loading import Provenance, _records, _Table

FILE = "management.csv"
COLUMNS = (
    "id",
    "topic",
    "conditions",
    "category",
    "intervention",
    "recommendation",
    "strength",
    "certainty",
    "source",
    "note",
    "corrects_seed",
)

# What the source says, in its own words (guidelines) or as a verdict on the evidence (reviews).
GUIDELINE_WORDS = {
    "offer": "Offer",
    "consider": "Consider",
    "not_routinely": "Do not routinely offer",
    "do_not_offer": "Do not offer",
    "no_recommendation": "No recommendation either way",
    "discuss": "Discuss",
    "refer_urgently": "Refer urgently",
    "refer_immediately": "Refer immediately",
}
REVIEW_VERDICTS = {
    "supported": "Supported by review evidence",
    "not_supported": "Not supported by review evidence",
    "uncertain": "Evidence too thin to say",
}
RECOMMENDATIONS = {**GUIDELINE_WORDS, **REVIEW_VERDICTS}
GUIDELINE_STRENGTHS = ("strong", "conditional", "none")
STRENGTHS = (*GUIDELINE_STRENGTHS, "not_graded")
CERTAINTIES = ("high", "moderate", "low", "very_low", "insufficient", "not_stated")
CATEGORIES = (
    "education",
    "exercise",
    "manual_therapy",
    "passive_treatment",
    "medicine",
    "injection",
    "surgery",
    "imaging",
    "referral",
    "prevention",
)
AGAINST = {"do_not_offer", "not_routinely", "not_supported"}


@dataclass(frozen=True)
class Recommendation:
    """One graded statement about one intervention."""

    id: str
    topic: str
    conditions: tuple[str, ...]
    category: str
    intervention: str
    recommendation: str
    strength: str
    certainty: str
    provenance: Provenance
    corrects_seed: str = ""

    @property
    def verdict(self) -> str:
        """The recommendation in words, with its strength: 'Do not offer (strong)'."""
        words = RECOMMENDATIONS[self.recommendation]
        if self.strength in ("strong", "conditional"):
            return f"{words} ({self.strength})"
        if self.certainty not in ("not_stated",):
            return f"{words} ({self.certainty.replace('_', ' ')} certainty)"
        return words

    @property
    def is_against(self) -> bool:
        """True when the source advises against the intervention or finds it does not work."""
        return self.recommendation in AGAINST

    @property
    def from_guideline(self) -> bool:
        return self.recommendation in GUIDELINE_WORDS


class Management:
    """All recommendations, looked up by id, condition or category."""

    def __init__(self, rows: dict[str, Recommendation]):
        self.rows = rows

    def __getitem__(self, rid: str) -> Recommendation:
        if rid not in self.rows:
            raise UnknownIdError("recommendation", rid, self.rows)
        return self.rows[rid]

    def __iter__(self) -> Iterator[Recommendation]:
        return iter(self.rows.values())

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<Management: {len(self.rows)} graded recommendations>"

    def for_condition(self, condition: str) -> list[Recommendation]:
        """Recommendations that apply to one condition (or red flag), in file order."""
        return [r for r in self.rows.values() if condition in r.conditions]

    def in_category(self, category: str) -> list[Recommendation]:
        if category not in CATEGORIES:
            raise ValueError(f"Unknown category {category!r}; use one of {', '.join(CATEGORIES)}.")
        return [r for r in self.rows.values() if r.category == category]

    def corrections(self) -> list[Recommendation]:
        """Rows that correct a claim of the seed article."""
        return [r for r in self.rows.values() if r.corrects_seed]

    def counts(self) -> dict[str, int]:
        """How many rows carry each recommendation word, in a fixed order."""
        tally = Counter(r.recommendation for r in self.rows.values())
        return {word: tally[word] for word in RECOMMENDATIONS if tally[word]}

    def to_text(self, rows: list[Recommendation] | None = None) -> str:
        """A plain-text list: verdict, intervention and source keys, one row per line."""
        chosen = list(self) if rows is None else rows
        return "\n".join(
            f"- {r.verdict}: {r.intervention} [{', '.join(r.provenance.keys)}]" for r in chosen
        )

    def to_html(self, rows: list[Recommendation] | None = None) -> str:
        """An HTML table (verdict, intervention, source, why) for notebooks and exports."""
        chosen = list(self) if rows is None else rows
        body = "".join(
            "<tr>"
            f"<td><strong>{'&#10007; ' if r.is_against else ''}{html.escape(r.verdict)}"
            "</strong></td>"
            f"<td>{html.escape(r.intervention)}</td>"
            f"<td>{html.escape(', '.join(r.provenance.keys))}</td>"
            f"<td>{html.escape(r.provenance.note)}</td>"
            "</tr>"
            for r in chosen
        )
        return (
            '<table class="kneesci-management">'
            "<caption>Graded recommendations</caption>"
            "<thead><tr><th scope='col'>Recommendation</th><th scope='col'>Intervention</th>"
            "<th scope='col'>Source</th><th scope='col'>What the source says</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


def read_management(path: Path, kb: KnowledgeBase) -> Management:
    """Read and check `management.csv` against the knowledge base's ids and references."""
    root = path.parent
    table = _Table(path, COLUMNS, root)
    valid_targets = {**kb.conditions, **kb.red_flags}
    rows: dict[str, Recommendation] = {}
    required = ("id", "topic", "category", "intervention", "recommendation", "strength")
    for line, rid, row in _records(table, (*required, "certainty")):

        def one_of(field: str, allowed, _line=line, _rid=rid, _row=row) -> str:
            value = _row[field]
            if value not in allowed:
                raise table.error(
                    _line, _rid, field, f"{value!r} is not one of {', '.join(allowed)}."
                )
            return value

        category = one_of("category", CATEGORIES)
        recommendation = one_of("recommendation", tuple(RECOMMENDATIONS))
        strength = one_of("strength", STRENGTHS)
        certainty = one_of("certainty", CERTAINTIES)
        if recommendation in GUIDELINE_WORDS and strength not in GUIDELINE_STRENGTHS:
            raise table.error(
                line, rid, "strength", f"a guideline word ({recommendation}) needs a guideline "
                f"strength ({', '.join(GUIDELINE_STRENGTHS)}), not {strength!r}."
            )  # fmt: skip
        if recommendation in REVIEW_VERDICTS and strength != "not_graded":
            raise table.error(
                line, rid, "strength", f"a review verdict ({recommendation}) is 'not_graded'."
            )
        conditions = tuple(row["conditions"].split())
        for cid in conditions:
            table.known(line, rid, "conditions", cid, valid_targets, "condition or red-flag")
        provenance = table.provenance(line, row, rid, kb.references)
        if provenance.is_estimate:
            raise table.error(line, rid, "source", "a recommendation must name its source.")
        rows[rid] = Recommendation(
            rid,
            row["topic"],
            conditions,
            category,
            row["intervention"],
            recommendation,
            strength,
            certainty,
            provenance,
            row.get("corrects_seed", ""),
        )
    if not rows:
        raise DataError(f"{table.name}: no recommendations.")
    return Management(rows)


def load_management(kb: KnowledgeBase | None = None) -> Management:
    """The recommendations beside a knowledge base (the bundled one by default)."""
    kb = kb if kb is not None else load()
    return read_management(Path(kb.source) / FILE, kb)
