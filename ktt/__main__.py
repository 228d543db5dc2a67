"""``python -m ktt`` starts the command line."""

import sys

from ktt.cli import main

sys.exit(main())
