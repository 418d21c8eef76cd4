"""``python -m scheduler.cli``: the ``pathways`` command."""

from scheduler.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
