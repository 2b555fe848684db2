"""Move top-level definitions of a module into new modules (pure code moves), fixing imports.

usage: split.py SOURCE SPEC.json   SPEC: {"modules": {"path": {"doc": "...", "names": [...]}}, "package": "cxlab.io"}
"""
import ast, json, sys, re
from pathlib import Path

src_path = Path(sys.argv[1]); spec = json.loads(Path(sys.argv[2]).read_text())
src = src_path.read_text(); lines = src.splitlines(keepends=True)
tree = ast.parse(src)
body = tree.body

def node_names(node):
    if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        out = []
        for t in node.targets:
            if isinstance(t, ast.Name): out.append(t.id)
            elif isinstance(t, ast.Tuple): out += [e.id for e in t.elts if isinstance(e, ast.Name)]
        return out
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []

# header = docstring + imports (+ __future__)
first_def = next(i for i, n in enumerate(body) if not isinstance(n, (ast.Import, ast.ImportFrom, ast.Expr)))
imports = [n for n in body[:first_def] if isinstance(n, (ast.Import, ast.ImportFrom)) and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")]
# block of each top-level node: from line after previous node end to its end
blocks = []
prev_end = body[first_def - 1].end_lineno if first_def else 0
for n in body[first_def:]:
    start = prev_end + 1
    blocks.append((n, start, n.end_lineno))
    prev_end = n.end_lineno
assign = {}
for mod, m in spec["modules"].items():
    for name in m["names"]:
        assign[name] = mod
moved = {mod: [] for mod in spec["modules"]}
kept = []
for n, s, e in blocks:
    names = node_names(n)
    targets = {assign.get(x) for x in names}
    if names and len(targets) == 1 and None not in targets:
        moved[targets.pop()].append((n, s, e))
    else:
        assert not (set(names) & set(assign)), ("partial", names)
        kept.append((n, s, e))
missing = set(assign) - {x for mod in moved.values() for n, s, e in mod for x in node_names(n)}
assert not missing, missing

def used_names(nodes):
    out = set()
    for n in nodes:
        for x in ast.walk(n):
            if isinstance(x, ast.Name): out.add(x.id)
            elif isinstance(x, ast.Attribute):
                pass
    return out

def import_lines(used):
    out = []
    for imp in imports:
        if isinstance(imp, ast.Import):
            keep = [a for a in imp.names if (a.asname or a.name.split(".")[0]) in used]
            if keep:
                out.append("import " + ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in keep))
        else:
            keep = [a for a in imp.names if (a.asname or a.name) in used]
            if keep:
                out.append(f"from {'.' * imp.level}{imp.module} import " + ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in keep))
    return out

defined_where = {}
for mod, items in moved.items():
    for n, s, e in items:
        for x in node_names(n): defined_where[x] = mod
kept_defined = {x for n, s, e in kept for x in node_names(n)}
pkg = spec["package"]; source_mod = spec["source_module"]

def modname(path):
    return pkg + "." + Path(path).stem

order = spec.get("order", list(spec["modules"]))
for mod in order:
    items = moved[mod]
    nodes = [n for n, s, e in items]
    used = used_names(nodes)
    text = '"""' + spec["modules"][mod]["doc"].strip() + '\n"""\n\nfrom __future__ import annotations\n\n'
    imp = import_lines(used)
    cross = {}
    for name in sorted(used):
        where = defined_where.get(name)
        if where and where != mod:
            cross.setdefault(modname(where), []).append(name)
        elif name in kept_defined and name not in {x for n in nodes for x in node_names(n)}:
            raise SystemExit(f"{mod} needs {name} which stays in the source: circular")
    std = [l for l in imp if not l.startswith("from cxlab") and not l.startswith("from " + pkg)]
    own = [l for l in imp if l.startswith("from cxlab")]
    own += [f"from {m} import {', '.join(sorted(v))}" for m, v in cross.items()]
    std_lib = [l for l in std if not any(l.startswith(p) for p in ("import numpy", "import pandas", "from scipy", "import scipy"))]
    third = [l for l in std if l not in std_lib]
    groups = [g for g in (std_lib, third, sorted(own)) if g]
    text += "\n\n".join("\n".join(g) for g in groups) + "\n"
    allnames = [x for n in nodes for x in node_names(n) if not x.startswith("_") and x != "__all__"]
    for n, s, e in items:
        text += "".join(lines[s - 1:e])
    text = text.rstrip("\n") + "\n"
    Path(mod).write_text(text)
# rewrite the source
kept_nodes = [n for n, s, e in kept]
used = used_names(kept_nodes)
head_end = body[first_def - 1].end_lineno
head = "".join(lines[:head_end])
# drop original import lines from head, rebuild them
doc_end = body[0].end_lineno if isinstance(body[0], ast.Expr) else 0
doc = "".join(lines[:doc_end])
reexport = set(spec.get("reexport", []))
need = {}
for name in sorted(used | reexport):
    where = defined_where.get(name)
    if where:
        need.setdefault(modname(where), []).append(name)
imp = import_lines(used)
std = [l for l in imp if not l.startswith("from cxlab")]
std_lib = [l for l in std if not any(l.startswith(p) for p in ("import numpy", "import pandas", "from scipy", "import scipy"))]
third = [l for l in std if l not in std_lib]
own = [l for l in imp if l.startswith("from cxlab")] + [f"from {m} import {', '.join(v)}" for m, v in need.items()]
groups = [g for g in (std_lib, third, sorted(own)) if g]
text = doc + "\nfrom __future__ import annotations\n\n" + "\n\n".join("\n".join(g) for g in groups) + "\n"
for n, s, e in kept:
    text += "".join(lines[s - 1:e])
src_path.write_text(text.rstrip("\n") + "\n")
print("done")
