"""`python -m budgetwise.cli` = the `budgetwise` command."""

import sys

from budgetwise.cli import main

sys.exit(main())
