"""pyproject.toml lists the packages by hand (site/ is mapped to `urbanexchange`); keep it true."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "accounts", "practices", "home", "events", "academy"]


def test_every_python_package_is_listed_in_pyproject():
    declared = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        "urbanexchange" + ".".join(("",) + init.parent.relative_to(ROOT / "site").parts)
        for init in (ROOT / "site").rglob("__init__.py")
    }
    for app in APPS:
        on_disk |= {
            ".".join(init.parent.relative_to(ROOT).parts)
            for init in (ROOT / app).rglob("__init__.py")
        }
    assert on_disk == declared
