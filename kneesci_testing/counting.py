"""Count how many objects of a class a piece of code builds (a figure, a differential)."""

from __future__ import annotations


def count_constructions(monkeypatch, cls: type) -> list[int]:
    """A list that gains one item each time `cls` is built, for the rest of the test."""
    made: list[int] = []
    init = cls.__init__

    def counting(self, *args, **kwargs):
        made.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(cls, "__init__", counting)
    return made
