"""Dependencies point one way (the product brief): layanan and kader use posyandu; laporan reads all;
posyandu uses none of them. Checked on the source, imports inside functions included."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("posyandu", "layanan", "kader", "laporan")
# app -> the other apps it may import
ALLOWED = {
    "posyandu": set(),
    "layanan": {"posyandu"},
    "kader": {"posyandu"},
    "laporan": {"posyandu", "layanan", "kader"},
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def test_each_app_imports_only_the_apps_below_it():
    wrong = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for lineno, module in _imports(path):
                target = module.split(".")[0]
                if target in APPS and target != app and target not in ALLOWED[app]:
                    wrong.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not wrong, "dependencies must point one way:\n" + "\n".join(wrong)
