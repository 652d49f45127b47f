"""The engine must load without the web stack (design rule 6)."""

import subprocess
import sys


def test_import_loads_no_web_stack():
    code = (
        "import sys, marketplace.matching, marketplace.matching.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'flask_sqlalchemy', 'marshmallow', 'wtforms', 'flask_wtf'})\n"
        "print(','.join(bad))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=60, check=True)
    assert completed.stdout.strip() == ""
