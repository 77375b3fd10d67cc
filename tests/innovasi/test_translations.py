"""The English translation covers every string of the interface: ``makemessages`` on a copy of the code
finds nothing new, nothing fuzzy and nothing untranslated in ``locale/en``."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_CODE = shutil.ignore_patterns(".*", "var", "static", "bench", "tests", "__pycache__", "*.mo")


def msgids(po_file, *flags):
    """The msgids ``msgattrib`` keeps with ``flags``, the header's empty one left out."""
    output = subprocess.run(
        ["msgattrib", *flags, str(po_file)], check=True, capture_output=True, text=True
    ).stdout
    return [msgid for msgid in re.findall(r'^msgid "(.*)"', output, flags=re.MULTILINE) if msgid]


def test_english_catalogue_is_complete(tmp_path):
    copy = tmp_path / "portal"
    shutil.copytree(ROOT, copy, ignore=NOT_CODE)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
    )
    po_file = copy / "locale/en/LC_MESSAGES/django.po"

    assert msgids(po_file, "--only-fuzzy") == []
    assert msgids(po_file, "--untranslated") == []
