"""The solve layer: the phases that turn a school into a timetable, in the order they run.

* :mod:`~scheduler.solver.engine` drives them (``solve_school``) and turns solver values
  into a :class:`~scheduler.solution.Solution` (the one place that reads them);
* :mod:`~scheduler.solver.budget`: the clock (counted or wall) and the time policy;
* :mod:`~scheduler.solver.staffing`: staff for every planned group;
* :mod:`~scheduler.solver.lesson_greedy`: the first timetable's greedy lesson placement;
* :mod:`~scheduler.solver.blocking`: option groups laid in blocks;
* the timetable and students' models are built from the rule families in ``constraints/``
  (one file each, a twin of each in the independent checker);
* :mod:`~scheduler.solver.section_greedy`: the greedy student placement and rooms;
* :mod:`~scheduler.solver.neighbourhoods`: the students' neighbourhood search.

docs/solver.md tells the same story in the same order. Planning the groups
(:mod:`scheduler.plan`) stays outside: it is domain arithmetic on the School (no OR-Tools)
that the phases here and the rule families in ``constraints/`` share.
Only this package and ``constraints/`` import OR-Tools (tests/test_import_guard.py).
"""
