#!/usr/bin/env python3
"""Structural rules of the tree that no compiler checks.

- The core (src/core) never includes a GTK or libadwaita header.
- Every source or UI file with translatable strings is listed in po/POTFILES.in, so no
  user-visible string escapes translation.
- Every .c file starts with a G_LOG_DOMAIN definition, so log lines say where they come from.
- The core's folders are its layers (src/DESIGN.md): a file includes only from its own layer and
  the layers below it; every core header is included by its folder ("market/sextant-quote.h"), so
  a bare include cannot hide which layer it reaches; only the GUI, the CLI and the tests include
  the umbrella sextant-core.h.
- No build, test or script file reaches outside the source tree: the repository alone passes its
  tests (a path with `..` must resolve inside the tree; no file names a `shared/` folder beside it).
Prints one line per violation and exits 1 if there is any.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
problems = []

for path in sorted((root / "src" / "core").rglob("*.[ch]")):
    text = path.read_text(encoding="utf-8")
    for match in re.finditer(r'#\s*include\s*[<"](gtk/|gdk/|adwaita|gsk/)', text):
        problems.append(f"{path.relative_to(root)}: the core includes a GTK header ({match.group(0)})")

potfiles = {line.strip() for line in (root / "po" / "POTFILES.in").read_text().splitlines()
            if line.strip() and not line.startswith("#")}
for path in sorted(list((root / "src").rglob("*.c")) + list((root / "ui").rglob("*.ui"))):
    rel = str(path.relative_to(root))
    text = path.read_text(encoding="utf-8")
    translatable = ('translatable="yes"' in text) or re.search(r'\b(_|N_|C_)\s*\(\s*"', text)
    if translatable and rel not in potfiles:
        problems.append(f"{rel}: has translatable strings but is missing from po/POTFILES.in")
for rel in sorted(potfiles):
    if not (root / rel).exists():
        problems.append(f"po/POTFILES.in lists {rel}, which does not exist")

for path in sorted((root / "src").rglob("*.c")):
    first = path.read_text(encoding="utf-8").lstrip().splitlines()[0] if path.stat().st_size else ""
    if not first.startswith("#define G_LOG_DOMAIN"):
        problems.append(f"{path.relative_to(root)}: does not start with #define G_LOG_DOMAIN")

# The layers of the core, bottom up, and what each may include besides itself.
LAYERS = {
    "base": set(),
    "analytics": {"base"},
    "chart": {"base", "analytics"},
    "document": {"base"},
    "bedrock": {"base"},
    "market": {"base", "analytics"},
    "knowledge": {"base", "bedrock"},
    "jobs": {"base", "analytics", "bedrock"},
    "agent": {"base", "analytics", "chart", "document", "bedrock", "market", "knowledge", "jobs"},
    "workspace": {"base", "analytics", "chart", "document", "bedrock", "market", "knowledge", "jobs",
                  "agent"},
}
core = root / "src" / "core"
core_headers = {h.name: h.parent.name for h in core.glob("*/*.h")}
for folder in sorted(p for p in core.iterdir() if p.is_dir()):
    if folder.name not in LAYERS:
        problems.append(f"src/core/{folder.name}: a folder that is not a layer (add it to LAYERS and src/DESIGN.md)")
for path in sorted(core.glob("*/*.[ch]")):
    layer = path.parent.name
    rel = path.relative_to(root)
    for match in re.finditer(r'#\s*include\s*"([^"]+)"', path.read_text(encoding="utf-8")):
        target = match.group(1)
        if target == "sextant-core.h":
            problems.append(f"{rel}: includes the umbrella sextant-core.h; include the headers it uses")
        elif "/" in target:
            folder = target.split("/")[0]
            if folder in LAYERS and folder != layer and folder not in LAYERS.get(layer, set()):
                problems.append(f"{rel}: {layer}/ includes {target}, which is not below it")
for path in sorted(list((root / "src").rglob("*.[ch]")) + list((root / "tests").rglob("*.[ch]"))):
    if "data" in path.relative_to(root).parts[1:2]:
        continue
    for match in re.finditer(r'#\s*include\s*"([^"/]+)"', path.read_text(encoding="utf-8", errors="replace")):
        if match.group(1) in core_headers:
            problems.append(f"{path.relative_to(root)}: includes {match.group(1)} without its folder "
                            f"({core_headers[match.group(1)]}/{match.group(1)})")

# Paths in build and test files: every `..` path resolves inside the tree.
build_files = [p for p in root.rglob("*")
               if p.is_file() and (p.name == "meson.build" or p.suffix in (".sh", ".py", ".c", ".h"))
               and not any(part.startswith(("_build", ".")) for part in p.relative_to(root).parts)
               and "data" not in p.relative_to(root).parts[1:2]]
for path in sorted(build_files):
    rel = path.relative_to(root)
    text = path.read_text(encoding="utf-8", errors="replace")
    if re.search(r"shared/reference|['\"/]shared['\"/]", text) and path.name != "check-source-rules.py":
        problems.append(f"{rel}: names a shared/ folder outside the repository")
    for match in re.finditer(r"['\"]((?:\.\./)+[^'\"]*)['\"]", text):
        target = (path.parent / match.group(1)).resolve()
        if root.resolve() not in target.parents and target != root.resolve():
            problems.append(f"{rel}: {match.group(1)} points outside the source tree")

for problem in problems:
    print(problem)
print(f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
