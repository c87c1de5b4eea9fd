"""`python -m budgetwise` = the `budgetwise` command."""

import sys

from budgetwise.cli import main

sys.exit(main())
