"""`python -m newslens` is the same as the `newslens` command."""

import sys

from newslens.cli import main

sys.exit(main())
