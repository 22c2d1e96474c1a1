"""The interface's catalogues: each is valid for gettext, and its committed compiled file is
the compilation of it (`make messages` after a change)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MSGFMT = shutil.which("msgfmt")
CATALOGUES = sorted(
    path
    for pattern in ("locale/*/LC_MESSAGES/django.po", "*/locale/*/LC_MESSAGES/django.po")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts
)


def test_there_are_catalogues():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"fr", "de", "it", "es", "pl", "nl"} <= languages


@pytest.mark.skipif(MSGFMT is None, reason="Debian's gettext is not installed")
@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_each_catalogue_is_valid_and_compiled(catalogue, tmp_path):
    compiled = tmp_path / "django.mo"
    result = subprocess.run(  # noqa: S603  (gettext on our own files)
        [MSGFMT, "--check", "-o", str(compiled), str(catalogue)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    committed = catalogue.with_suffix(".mo")
    assert committed.exists() and committed.read_bytes() == compiled.read_bytes(), (
        f"{committed.relative_to(ROOT)} is not the compilation of its catalogue: run make messages"
    )
