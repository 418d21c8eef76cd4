"""Importers: other timetablers' files turned into Pathways workbook tables.

:mod:`scheduler.importers.fet` reads a FET file (``.fet``, or ``.fet.xz``) into plain
dataclasses and builds the workbook tables of :mod:`scheduler.workbook.tables` from it,
with a report of what was not carried over. No OR-Tools here (the import guard).
"""
