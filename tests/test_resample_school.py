"""The resampler (bench/resample_school.py): a school of another size made of copies of a
school's students, staff, rooms and tutor groups loads without errors, keeps each year's
share and each subject's staff time in proportion, and repeats for a seed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from scheduler.workbook.read import load_school
from tests.bench_fixtures import bench_module

vs = bench_module("varied_schools")
rs = bench_module("resample_school")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    # Two sites, houses and families, stage-limited and part-time staff.
    school = vs.make_school(1, 240, "federation")
    return school.write(tmp_path_factory.mktemp("src") / "school.xlsx")


@pytest.mark.parametrize("students", [160, 240, 520])
def test_resampled_school_loads_and_keeps_proportions(source, tmp_path, students):
    out = tmp_path / "resampled.xlsx"
    assert (
        rs.main([str(source), "--students", str(students), "--seed", "3", "--out", str(out)]) == 0
    )
    original, _ = load_school(source)
    school, _ = load_school(out)  # raises InputError on any error
    assert len(school.students) == students
    f = students / len(original.students)
    before = Counter(s.year for s in original.students)
    after = Counter(s.year for s in school.students)
    assert set(after) == set(before)
    for year, n in before.items():
        assert abs(after[year] - n * f) <= 1
    # Every request is a copy of one of the original's, as many as the students drawn.
    assert (
        abs(len(school.requests) - len(original.requests) * f) <= 0.15 * len(original.requests) * f
    )

    # Each subject's staff time scales at least with the students (rounded up by teacher).
    def periods(s) -> Counter:
        out: Counter = Counter()
        for p in s.staff:
            for subject in {q.subject for q in p.qualifications}:
                out[subject] += p.max_periods or 0
        return out

    had, has = periods(original), periods(school)
    for subject, n in had.items():
        assert has[subject] >= min(n, n * f) - 1e-6, subject
    # Tutor groups seat every student, each tutor tutors one group.
    assert sum(g.capacity for g in school.tutor_groups) >= students
    tutors = [g.tutor for g in school.tutor_groups]
    assert len(tutors) == len(set(tutors))


def test_same_seed_same_school(source, tmp_path):
    a, b, c = (tmp_path / f"{x}.xlsx" for x in "abc")
    for path, seed in ((a, 5), (b, 5), (c, 6)):
        rs.main([str(source), "--students", "300", "--seed", str(seed), "--out", str(path)])
    sheets = [rs._read(p) for p in (a, b, c)]
    assert sheets[0] == sheets[1]
    assert sheets[0] != sheets[2]


def test_the_bench_solves_copies_of_a_workbook(source):
    """``bench/run_varied.py --from BOOK``: each seed a copy of BOOK's kind, validated."""
    rv = bench_module("run_varied")
    row = rv.run_one(2, None, 180, None, "auto", 1, True, None, source=source)
    assert row["valid"] and row["students"] == 180
    assert row["kind"] == "copy of school" and row["limit_s"] == 120.0
    assert row["note"].startswith("valid (")
