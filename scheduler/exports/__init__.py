"""Timetables people can read: week-grid workbooks, iCalendar, a static web timetable, CSV.

:func:`scheduler.exports.run.export` draws every format from a finished solve's output
folder; :mod:`scheduler.exports.grid` is the model they share.
"""
