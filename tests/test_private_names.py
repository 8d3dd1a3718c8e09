"""No module of the apps imports another module's private (``_name``) helpers, and views never import views.

A helper needed in two places is made public where it belongs (``posyandu.viewkit``,
``posyandu.forms.whole_number_field``, ``layanan.forms.inputs``), not reached into.
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = ("posyandu", "layanan", "kader", "laporan", "config")


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text())


def test_no_module_imports_another_modules_private_names():
    found = []
    for path, tree in _modules():
        imported_modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                for alias in node.names:
                    if alias.name.startswith("_"):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module} import {alias.name}")
                    imported_modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in PACKAGES:
                        imported_modules.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr != "_meta"  # Django's public model API
                and isinstance(node.value, ast.Name)
                and node.value.id in imported_modules
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
    assert not found, "private names used across modules:\n" + "\n".join(found)


def test_views_do_not_import_views():
    found = []
    for path, tree in _modules():
        relative = path.relative_to(ROOT)
        if "views" not in relative.parts and relative.stem != "views":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
                if any(name.split(".")[-1] == "views" or ".views." in f"{name}." for name in names):
                    found.append(f"{relative}:{node.lineno} from {node.module}")
    assert not found, "views importing views:\n" + "\n".join(found)
