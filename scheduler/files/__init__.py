"""What the result files share, below both the writer and the exports.

- :mod:`scheduler.files.atomic` switches a folder or file in with renames, so that a
  reader never sees a half-written result (the solve's outputs, exports, workbook
  tables, scenario comparisons);
- :mod:`scheduler.files.columns` names the output contract's CSV files' columns
  (docs/outputs.md), for the writer, the reader and the exports, and how several items
  share one cell (``join_items``, ``split_items``);
- :mod:`scheduler.files.csvrows` reads those CSV files' rows, the one reader of the
  checker's way in (:mod:`scheduler.outputs.read`) and the exports, and writes every
  CSV file Pathways writes (``write_rows``).

Layering: ``scheduler.outputs`` (write, read) imports ``scheduler.exports`` (the week
grids and ``context.json`` a solve writes), and both import this package, which imports
nothing of ``scheduler``.
"""
