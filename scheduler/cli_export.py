"""The `pathways export` command(s), registered on the main CLI by `register`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the `pathways` app (filled in by its issue)."""
