"""The engine is a pure module: importing it loads neither Django nor any database driver."""

import subprocess
import sys

CHECK = """
import sys
import civitas.evaluation.engine
import civitas.evaluation.bench
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"django", "psycopg", "sqlite3", "ninja"})
print(",".join(loaded))
"""


def test_the_engine_imports_no_django_and_no_database():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
