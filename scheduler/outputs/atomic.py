"""Moved to :mod:`scheduler.files.atomic` (below both the outputs and the exports).

Kept for ``scheduler/scenarios/report.py``, which imports these two names from here;
new code imports :mod:`scheduler.files.atomic`.
"""

from __future__ import annotations

from scheduler.files.atomic import atomic_path, write_text_atomic

__all__ = ["atomic_path", "write_text_atomic"]
