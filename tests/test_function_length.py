"""No function of the apps is longer than about a screen (60 lines) unless it says why.

A longer function carries a comment ``# long: <reason>`` in its body; keep such exceptions rare.
Demo generators and migrations are left out (generated or throw-away data code).
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = ("posyandu", "layanan", "kader", "laporan", "config")
MAX_LINES = 60


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path.name.startswith("demo"):
                continue
            yield path


def _too_long(path: pathlib.Path) -> list[str]:
    text = path.read_text()
    lines = text.splitlines()
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            body = lines[node.lineno - 1 : node.end_lineno]
            if length > MAX_LINES and not any(line.strip().startswith("# long:") for line in body):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_is_longer_than_a_screen_without_a_reason():
    offenders = [item for path in _sources() for item in _too_long(path)]
    assert not offenders, "split these functions or say why in '# long: <reason>':\n" + "\n".join(offenders)
