"""``python -m nn``: the ``chainrule`` command line (see :mod:`nn.cli`)."""

import sys

from nn.cli import main

sys.exit(main())
