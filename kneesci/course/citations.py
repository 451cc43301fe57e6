"""Text a student reads: internal ids become labels, reference keys become "Author Year".

The data files speak in ids (`hip_internal_rotation_limited`) and reference keys (`lam2015`),
which is right for a spreadsheet and wrong on a student's screen. `readable` rewrites free text
from `data/` (a case's teaching point, its note on the source) for display, and `short_citation`
gives the "Lam and Amies 2015" form, with `reference_url` for its link.

>>> import kneesci
>>> kb = kneesci.load()
>>> short_citation(kb.references["lam2015"])
'Lam and Amies 2015'
>>> readable("so hip_internal_rotation_limited stands for it (lam2015)", kb)
'so "Hip internal rotation limited" stands for it (Lam and Amies 2015)'
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from ..model.loading import Reference

if TYPE_CHECKING:
    from ..model.knowledge_base import KnowledgeBase

# An id is lower case with at least one underscore; a key has a digit or an underscore. Plain
# words ("diabetes", "fever") are ids too, but they read as English and are left alone.
_TOKEN = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?![\w-])")
_INITIALS = re.compile(r"^[A-Z][A-Z.-]{0,5}$")  # "DAWM", "P-M"


def short_citation(reference: Reference) -> str:
    """'Lam and Amies 2015', 'Dibra et al. 2017', or an organisation's name with the year."""
    authors = reference.authors.strip()
    # "(author names not captured; see url)" and the like: keep what comes before it.
    if "(" in authors:
        authors = authors.split("(")[0].strip(" ,;")
    if not authors:
        words = reference.title.split()
        authors = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    people = [a.strip() for a in authors.split(",") if a.strip()]
    et_al = any(p.lower().rstrip(".") == "et al" for p in people)
    people = [p for p in people if p.lower().rstrip(".") != "et al"]
    surnames = [_surname(p) for p in people]
    # A name with initials, or a bare surname in a list of several ("Broadhurst, Bond").
    is_person = [
        s != p or (len(people) > 1 and " " not in p) for s, p in zip(surnames, people, strict=True)
    ]
    if people and is_person[0] and (et_al or len(people) > 2):
        authors = f"{surnames[0]} et al."
    elif len(people) == 2 and all(is_person):
        authors = f"{surnames[0]} and {surnames[1]}"
    elif len(people) == 1:
        authors = surnames[0]
    year = reference.year.strip()
    return f"{authors} {year}" if year and year != "n.d." else f"{authors} (n.d.)"


def _surname(person: str) -> str:
    """'van der Windt DAWM' -> 'van der Windt'; a name without initials stays whole."""
    words = person.split()
    if len(words) > 1 and _INITIALS.match(words[-1]):
        return " ".join(words[:-1])
    return person


def reference_url(reference: Reference) -> str:
    """Where a reader can find it: the DOI, else the page read, else PubMed ('' when none)."""
    if reference.doi:
        return f"https://doi.org/{reference.doi}"
    if reference.url:
        return reference.url
    if reference.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"
    return ""


def citation_html(reference: Reference) -> str:
    """'Author Year' as a link that opens in a new tab (plain text when there is nowhere to go)."""
    name = html.escape(short_citation(reference))
    url = reference_url(reference)
    if not url:
        return name
    return f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{name}</a>'


def reference_html(reference: Reference) -> str:
    """One reference for a list: linked 'Author Year', then the title and where it appeared."""
    tail = ". ".join(p.strip().rstrip(".") for p in (reference.title, reference.journal) if p)
    return f"{citation_html(reference)}: {html.escape(tail)}."


def readable(text: str, kb: KnowledgeBase, as_html: bool = False) -> str:
    """`text` with finding, condition, red-flag and setting ids as their labels (in quotes) and
    reference keys as 'Author Year'; `as_html=True` escapes the rest and links the references."""
    labels = {}
    for table in (kb.findings, kb.conditions, kb.red_flags, kb.settings):
        labels.update({key: item.label for key, item in table.items() if "_" in key})
    pieces: list[str] = []
    end = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in labels:
            label = labels[token]
            new = f"<i>{html.escape(label)}</i>" if as_html else f'"{label}"'
        elif token in kb.references and re.search(r"[\d_]", token):
            reference = kb.references[token]
            new = citation_html(reference) if as_html else short_citation(reference)
        else:
            continue
        before = text[end : match.start()]
        pieces += [html.escape(before) if as_html else before, new]
        end = match.end()
    rest = text[end:]
    pieces.append(html.escape(rest) if as_html else rest)
    return "".join(pieces)


def cited_keys(text: str, kb: KnowledgeBase) -> list[str]:
    """The reference keys `text` cites, in order of first mention."""
    keys: list[str] = []
    for token in _TOKEN.findall(text):
        if token in kb.references and re.search(r"[\d_]", token) and token not in keys:
            keys.append(token)
    return keys
