"""A school's workbook, read and turned into validated domain data.

The workbook is an ``.xlsx`` file or a folder of CSV files, one a sheet; the contract is
docs/workbook.md. What comes out is a :class:`~scheduler.model.School` (the domain model,
which stays in :mod:`scheduler.model`) with its warnings, or, when there is any error,
every problem found at once and no school.

- :mod:`scheduler.workbook.schema` is the contract's shape: its sheets and columns;
- :mod:`scheduler.workbook.read` reads the sheets (``read_book``), converts each cell
  and builds the school (``load_school``);
- :mod:`scheduler.workbook.validate` checks the whole school: values, references and
  data that can never be satisfied;
- :mod:`scheduler.workbook.problems` holds the problems (sheet, row, column, what is
  wrong and what was expected) and :class:`~scheduler.workbook.problems.InputError`;
- :mod:`scheduler.workbook.summary` is the school at a glance that ``pathways validate``
  prints;
- :mod:`scheduler.workbook.tables` writes workbook tables (from the example generator
  and scenario changes) as a workbook.
"""
