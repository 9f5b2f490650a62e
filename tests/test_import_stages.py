"""The code's shape: imports run with the data flow (README, "Layout").

The stages, in the order the data flows: checker/ (the engine) and generator/source/ (read, check, model),
then generator/live_checker/, generator/pages/, generator/leaflets/, and last generator/mkdocs/, the one
adapter to a site engine. A stage imports only from stages before it and from the shared modules at the top
of generator/ (errors, build_cache, child_processes, npm_assets, precompress, typeface); cli and starter sit above
all.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from harness import ROOT

STAGES = ("checker", "generator.source", "generator.live_checker", "generator.pages", "generator.leaflets",
          "generator.mkdocs")
SHARED = ("generator.errors", "generator.build_cache", "generator.child_processes", "generator.npm_assets",
          "generator.precompress", "generator.typeface")
TOP = ("generator.cli", "generator.starter")
SITE_ENGINE = ("mkdocs", "material")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted([*ROOT.glob("generator/**/*.py"), *ROOT.glob("checker/**/*.py")]):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def imports(name: str, path: Path) -> set[str]:
    """Every module a file imports, at its top, in a function or only for type checking alike."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def stage_of(module: str) -> str | None:
    return next((stage for stage in STAGES if module == stage or module.startswith(stage + ".")), None)


def test_generator_has_few_modules_at_its_top_level_and_the_rest_in_stage_folders():
    top = sorted(p.name for p in (ROOT / "generator").glob("*.py"))
    assert len(top) <= 9, top
    assert sorted(f"generator.{p.removesuffix('.py')}" for p in top if p != "__init__.py") == sorted(SHARED + TOP)


def test_each_stage_imports_only_from_the_stages_before_it():
    found = modules()
    against = []
    for name, path in found.items():
        mine = stage_of(name)
        for target in imports(name, path):
            theirs = stage_of(target)
            if target.startswith("generator") and mine == "checker":
                against.append(f"{name} imports {target}: the engine stands alone")
            elif mine and theirs and STAGES.index(theirs) > STAGES.index(mine):
                against.append(f"{name} ({mine}) imports {target} ({theirs}), a later stage")
            elif mine and target in TOP:
                against.append(f"{name} imports {target}, which sits above the stages")
            elif name in SHARED and target.startswith("generator.") and (theirs or target in TOP):
                against.append(f"{name}, shared by the stages, imports {target}")
    assert against == []


def test_only_the_mkdocs_stage_imports_the_site_engine():
    outside = [f"{name} imports {target}" for name, path in modules().items() if stage_of(name) != "generator.mkdocs"
               for target in imports(name, path) if target.split(".")[0] in SITE_ENGINE]
    assert outside == []


def test_no_import_circle_counting_type_only_imports():
    found = modules()
    edges = {name: {t for t in imports(name, path) if t in found and t != name} for name, path in found.items()}
    # A package's own __init__ importing its submodules is how a package exposes them, not a circle of reading.
    for name in edges:
        edges[name] = {t for t in edges[name] if not t.startswith(name + ".")}
    circles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                circles.append(trail[trail.index(target):] + [target] if target in trail else [node, target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert circles == []


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_stage_but_the_adapter_imports_with_mkdocs_and_material_unimportable():
    names = [name for name in modules() if stage_of(name) not in (None, "generator.mkdocs") or name in SHARED + TOP]
    out = run_python(f"""
        import importlib, sys
        for blocked in {SITE_ENGINE!r}:
            sys.modules[blocked] = None   # an import of it now raises ImportError
        for name in {sorted(names)!r}:
            importlib.import_module(name)
        print(len({sorted(names)!r}))
    """)
    assert int(out) == len(names) > 20


def test_check_loads_no_templates_no_diff_engine_and_no_site_engine():
    out = run_python("""
        import contextlib, io, sys
        from generator.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as said:
            code = main(["check", "tests/examples/lantern-line.yaml"])
        assert code == 0 and "OK" in said.getvalue(), said.getvalue()
        print(" ".join(sorted(sys.modules)))
    """)
    loaded = set(out.split())
    assert {"generator.source.versions", "generator.source.invariant_check"} <= loaded   # it did check
    assert not loaded & {"jinja2", "generator.source.diff", "mkdocs", "material", "weasyprint",
                         "generator.pages.render", "generator.live_checker.checker_bundle"}
