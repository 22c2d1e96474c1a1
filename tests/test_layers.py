"""The layers: the import contract sees every app, and no import hides inside a function.

`lint-imports` (in `make lint` and CI) checks the contract in pyproject.toml. These tests keep
the contract honest and catch what it cannot see: an import moved into a function body to dodge
a circle between modules still makes the circle, only later and out of sight.
"""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
IMPORTLINTER = PYPROJECT["tool"]["importlinter"]
#: A comment on the line above a lazy import, saying why it cannot be at the top of the module.
LAZY_IMPORT = re.compile(r"#\s*Lazy import: \S")


def _project_packages() -> dict[str, Path]:
    """Each top-level package of the project and its folder (urbanexchange lives in site/)."""
    package_dir = PYPROJECT["tool"]["setuptools"]["package-dir"]
    names = {name.split(".")[0] for name in PYPROJECT["tool"]["setuptools"]["packages"]}
    return {name: ROOT / package_dir.get(name, name) for name in sorted(names)}


def test_the_contract_sees_every_package_and_places_it_in_a_layer():
    # A package missing from root_packages is not in the import graph, so a layer named after
    # it in parentheses would be skipped in silence.
    assert sorted(IMPORTLINTER["root_packages"]) == sorted(_project_packages())
    [contract] = [c for c in IMPORTLINTER["contracts"] if c["type"] == "layers"]
    layers = [layer.strip("()") for layer in contract["layers"]]
    assert layers == ["urbanexchange", "home", "academy", "events", "practices", "accounts", "core"]
    for package in _project_packages():
        assert package in layers


def test_the_layer_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603  (our own tool, no user input)
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _imports_in_functions(path: Path):
    """(line, function name, enclosing class bases) of each import inside a function of `path`."""
    tree = ast.parse(path.read_text(), filename=str(path))

    def visit(node, function=None, bases=()):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)) and function is not None:
                yield child.lineno, function, bases
            if isinstance(child, ast.ClassDef):
                names = tuple(ast.unparse(base) for base in child.bases)
                yield from visit(child, function, names if function is None else bases)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from visit(child, child.name, bases)
            else:
                yield from visit(child, function, bases)

    yield from visit(tree)


def _lazy_import_is_explained(lines: list[str], lineno: int) -> bool:
    """Whether the comment block right above the import (or its group) says why it is lazy."""
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith(("from ", "import ")):
        index -= 1
    while index >= 0 and lines[index].strip().startswith("#"):
        if LAZY_IMPORT.search(lines[index]):
            return True
        index -= 1
    return False


def test_no_import_hides_inside_a_function():
    hidden = []
    for folder in _project_packages().values():
        for path in sorted(folder.rglob("*.py")):
            lines = path.read_text().splitlines()
            hidden += [
                f"{path.relative_to(ROOT)}:{lineno} in {function}()"
                for lineno, function, bases in _imports_in_functions(path)
                # Django's idiom: an AppConfig connects receivers and registers providers in
                # ready(), once every model is loaded.
                if not (function == "ready" and any(b.endswith("AppConfig") for b in bases))
                and not _lazy_import_is_explained(lines, lineno)
            ]
    assert hidden == [], "Import at the top of the module, or say why not: # Lazy import: ..."


def test_the_check_finds_a_hidden_import_and_accepts_an_explained_one(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "class PracticesConfig(AppConfig):\n"
        "    def ready(self):\n"
        "        from . import signals\n"
        "\n"
        "def hidden():\n"
        "    from .library import search\n"
        "\n"
        "def explained():\n"
        "    # Lazy import: the module fails on PostgreSQL.\n"
        "    from .sqlite import hits\n"
    )
    lines = module.read_text().splitlines()
    found = list(_imports_in_functions(module))
    assert [(lineno, function) for lineno, function, _bases in found] == [
        (3, "ready"),
        (6, "hidden"),
        (10, "explained"),
    ]
    assert found[0][2] == ("AppConfig",)
    assert not _lazy_import_is_explained(lines, 6)
    assert _lazy_import_is_explained(lines, 10)
