"""``python -m refopt`` is the ``refopt`` command."""
import sys

from .cli import main

sys.exit(main())
