"""The analysis core never imports Django (architecture-anchors.md section 4)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit


def test_importing_tillit_analysis_does_not_import_django():
    code = (
        "import tillit.analysis, tillit.analysis.cli, sys; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
