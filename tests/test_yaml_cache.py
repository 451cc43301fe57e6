"""Parsed YAML shared by every kernel: one JSON file keyed by each file's SHA-256, rebuilt when a
file changes, ignored when damaged."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kneesci import reading
from kneesci.reading import read_yaml


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache" / "parsed-yaml.json"
    monkeypatch.setenv(reading.CACHE_ENV, str(path))
    monkeypatch.setattr(reading, "_cached_yaml", {})  # as a new kernel starts
    return path


def document(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    return path


def no_parsing(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(reading.yaml, "load", fail)


def test_a_second_kernel_reads_the_parsed_file_without_parsing(cache, tmp_path, monkeypatch):
    path = document(tmp_path, "maps:\n  L4: [[0, 1.5], [2, 3]]\nname: skin\n")
    _, first = read_yaml(path, "doc.yaml")
    assert cache.is_file()
    monkeypatch.setattr(reading, "_cached_yaml", {})
    no_parsing(monkeypatch)
    _, second = read_yaml(path, "doc.yaml")
    assert second == first == {"maps": {"L4": [[0, 1.5], [2, 3]]}, "name": "skin"}
    second["name"] = "changed"  # each reader gets its own copy
    assert read_yaml(path, "doc.yaml")[1]["name"] == "skin"


def test_an_edited_file_is_parsed_afresh(cache, tmp_path):
    path = document(tmp_path, "a: 1\n")
    assert read_yaml(path, "doc.yaml")[1] == {"a": 1}
    path.write_text("a: 2\n")
    assert read_yaml(path, "doc.yaml")[1] == {"a": 2}


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw.replace(b'\\"b\\"', b'\\"c\\"'),  # changed without its checksum
        lambda raw: b"not json at all",
        lambda raw: b"",
    ],
)
def test_a_damaged_cache_is_never_trusted_and_is_rewritten(cache, tmp_path, monkeypatch, damage):
    path = document(tmp_path, "a: [b]\n")
    read_yaml(path, "doc.yaml")
    raw = cache.read_bytes()
    assert b'\\"b\\"' in raw  # the damage below changes what the test means it to
    cache.write_bytes(damage(raw))
    monkeypatch.setattr(reading, "_cached_yaml", {})
    assert read_yaml(path, "doc.yaml")[1] == {"a": ["b"]}
    assert reading._read_cache(cache) != {}  # rewritten whole


def test_what_json_cannot_hold_exactly_is_not_cached(cache, tmp_path):
    path = document(tmp_path, "1: one\nwhen: 2026-12-05\n")
    when = yaml.safe_load("d: 2026-12-05")["d"]
    assert read_yaml(path, "doc.yaml")[1] == {1: "one", "when": when}
    assert reading._read_cache(cache) == {}
    number_keys = document(tmp_path, "1: one\n")
    assert read_yaml(number_keys, "doc.yaml")[1] == {1: "one"}
    assert reading._read_cache(cache) == {}


def test_an_empty_setting_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv(reading.CACHE_ENV, "")
    assert reading.yaml_cache_path() is None
    assert read_yaml(document(tmp_path, "a: 1\n"), "doc.yaml")[1] == {"a": 1}


def test_a_syntax_error_still_names_its_line(cache, tmp_path):
    with pytest.raises(reading.DataError, match="line 2"):
        read_yaml(document(tmp_path, "a: 1\n  b: [\n"), "doc.yaml")
