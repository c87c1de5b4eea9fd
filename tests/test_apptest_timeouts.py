"""Every AppTest in the suite is given its own timeout (review26).

``AppTest.from_function`` / ``from_file`` / ``from_string`` wait 3 seconds for a script run unless told otherwise.
``tests/security/test_inputs.py::test_service_error_messages_show_quoted_text_literally`` was the one AppTest left
at that default: its first run takes 1.6 to 2.4 s on this machine under the usual load (Streamlit's first script run
in the process), 4.7 s once with three CPU-bound processes pinned to its core, and it was seen failing once while
eight helpers shared two cores ("AppTest script run timed out after 3(s)"), a timeout and not a defect of the code.
The suite's other AppTests give 20 to 60 s (``tests/ui/conftest.py``: 30); this source check keeps it so.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CONSTRUCTORS = {"from_function", "from_file", "from_string"}


def _default_timeouts_missing(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in CONSTRUCTORS and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "AppTest" and not any(k.arg == "default_timeout" for k in node.keywords)]


def test_every_apptest_is_given_a_timeout():
    missing = {str(p.relative_to(ROOT)): lines for p in sorted(ROOT.rglob("*.py"))
               if "AppTest" in p.read_text(encoding="utf-8") and (lines := _default_timeouts_missing(p))}
    assert not missing, f"AppTest at its 3 s default (flaky under load): give default_timeout=30: {missing}"
