"""Saving and loading indexes: versions, atomic manifest swap, reload by another process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.errors import InvalidInput
from kefu.knowledge.search import Document, SearchIndex
from kefu.knowledge.search.store import (
    JOURNAL,
    MANIFEST,
    IndexHandle,
    append_changes,
    current_version,
    load_index,
    save_index,
)

from .conftest import CORPUS


def test_round_trip_gives_identical_results(tmp_path: Path, index: SearchIndex) -> None:
    index.add(Document("extra", "Gift wrap", "Free gift wrapping on request.", "en", tags=("g",)))
    index.remove("cast-iron")
    assert save_index(index, tmp_path) == 1
    loaded, version = load_index(tmp_path)
    assert version == 1 and len(loaded) == len(index)
    for query in ("delivery days", "发货", "gift wrap", "skillet", "配送"):
        a, b = index.search(query), loaded.search(query)
        assert [(h.doc_id, round(h.score, 4), h.snippet) for h in a] == [
            (h.doc_id, round(h.score, 4), h.snippet) for h in b
        ]
    assert loaded.get("extra") == index.get("extra")


def test_each_save_is_a_new_version_and_old_ones_are_pruned(tmp_path: Path) -> None:
    index = SearchIndex.build(CORPUS)
    for expected in (1, 2, 3, 4):
        assert save_index(index, tmp_path) == expected
    folders = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert folders == ["v000003", "v000004"]
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert manifest["folder"] == "v000004" and manifest["documents"] == len(CORPUS)
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]


def test_handle_reloads_only_when_a_newer_version_exists(tmp_path: Path) -> None:
    index = SearchIndex.build(CORPUS)
    save_index(index, tmp_path)
    reader = IndexHandle(tmp_path)
    assert reader.refresh() is False
    index.add(Document("new", "Gift wrap", "Free gift wrapping.", "en"))
    save_index(index, tmp_path)
    assert current_version(tmp_path) == 2
    assert reader.refresh() is True and reader.version == 2
    assert reader.index.search("gift")[0].doc_id == "new"


def test_a_crashed_save_leaves_the_previous_index_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex.build(CORPUS)
    save_index(index, tmp_path)
    index.add(Document("new", "Gift wrap", "Free gift wrapping.", "en"))

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("kefu.knowledge.search.store.np.savez", boom)
    with pytest.raises(OSError):
        save_index(index, tmp_path)
    loaded, version = load_index(tmp_path)
    assert version == 1 and "new" not in loaded


def test_missing_or_corrupt_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no search index"):
        load_index(tmp_path)
    assert current_version(tmp_path) is None
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(InvalidInput, match="manifest"):
        load_index(tmp_path)
    (tmp_path / MANIFEST).write_text(json.dumps({"format": 1, "version": 1, "folder": "../x"}))
    with pytest.raises(InvalidInput, match="bad folder"):
        load_index(tmp_path)


def test_journal_changes_reach_other_processes_without_a_reload(tmp_path: Path) -> None:
    writer = SearchIndex.build(CORPUS)
    save_index(writer, tmp_path)
    reader = IndexHandle(tmp_path)
    gift = Document("gift", "Gift wrap", "Free gift wrapping on request.", "en", tags=("g",))
    writer.upsert(gift)
    writer.remove("cast-iron")
    assert append_changes(tmp_path, upserts=[gift], removals=["cast-iron"]) == 1
    assert reader.refresh() is True and reader.version == 1
    assert reader.index.search("gift")[0].doc_id == "gift"
    assert reader.index.get("gift") == gift and "cast-iron" not in reader.index
    assert reader.refresh() is False
    fresh, _ = load_index(tmp_path)  # a new process replays the journal on load
    assert "gift" in fresh and "cast-iron" not in fresh
    save_index(writer, tmp_path)  # the next snapshot holds the changes; its journal is empty
    assert reader.refresh() is True and reader.version == 2 and "gift" in reader.index


def test_a_half_written_journal_line_waits_for_its_end(tmp_path: Path) -> None:
    save_index(SearchIndex.build(CORPUS), tmp_path)
    reader = IndexHandle(tmp_path)
    journal = tmp_path / "v000001" / JOURNAL
    line = json.dumps({"op": "remove", "id": "cast-iron"})
    journal.write_text(line[:10])
    assert reader.refresh() is False and "cast-iron" in reader.index
    journal.write_text(line + "\n")
    assert reader.refresh() is True and "cast-iron" not in reader.index


def test_appending_before_any_save_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="before appending"):
        append_changes(tmp_path, removals=["x"])
