"""Several items in one cell of an output CSV file (a group's staff, changes.csv's lists):
written one way, read alike by the checker's reader and the exports."""

from __future__ import annotations

from scheduler.files.columns import join_items, split_items


def test_items_joined_by_semicolons_and_split_back() -> None:
    assert join_items(("T1", "T2")) == "T1;T2" and join_items(()) == ""
    assert split_items("T1;T2") == ("T1", "T2") and split_items("") == ()


def test_a_hand_edited_cell_reads_alike() -> None:
    assert split_items(" T1 ; T2,T3;; ") == ("T1", "T2", "T3")
