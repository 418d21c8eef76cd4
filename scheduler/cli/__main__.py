"""``python -m scheduler.cli``: the ``pathways`` command."""

import sys

from scheduler.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
