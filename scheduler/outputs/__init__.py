"""The files a solve writes, read back, and how they are replaced.

``pathways solve SCHOOL --out DIR`` writes into DIR: ``timetable.csv``, ``groups.csv``,
``requests.csv``, ``tutor_groups.csv`` (when the school has tutor groups),
``summary.json``, the week grids ``students.xlsx``, ``staff.xlsx`` and ``rooms.xlsx``,
and ``context.json`` (what ``pathways export`` needs of the school). The contract is
docs/outputs.md; conventions beyond it are in docs/outputs-conventions.md.

- :mod:`scheduler.outputs.write` writes them from a solution;
- :mod:`scheduler.outputs.read` reads them back into one (the checker's way in);
- both switch folders in with :mod:`scheduler.files.atomic` and take the CSV columns from
  :mod:`scheduler.files.columns`; the writer draws the week grids and ``context.json``
  with :mod:`scheduler.exports` (which never imports this package).
"""
