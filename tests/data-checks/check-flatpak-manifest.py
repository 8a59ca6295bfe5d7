#!/usr/bin/env python3
"""Checks the Flatpak manifest as far as possible without building it (no runtime can be
downloaded here): it parses, names the app id and command Sextant installs, keeps its
permissions narrow, gives every remote source a sha256, and every local path exists."""
import json
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
manifest_path = root / "flatpak" / "io.github.sextantdesk.Sextant.json"
manifest = json.loads(manifest_path.read_text())
problems = []

def need(condition, message):
    if not condition:
        problems.append(message)

need(manifest.get("id") == "io.github.sextantdesk.Sextant", "id must be io.github.sextantdesk.Sextant")
need(manifest.get("command") == "sextant", "command must be sextant")
need(manifest.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
need(manifest.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
need(re.fullmatch(r"\d+", str(manifest.get("runtime-version", ""))) is not None,
     "runtime-version must be a GNOME release number")

allowed = {"--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
           "--device=dri", "--talk-name=org.freedesktop.secrets"}
finish_args = set(manifest.get("finish-args", []))
for arg in sorted(finish_args - allowed):
    problems.append(f"finish-arg {arg} is broader than Sextant needs")
for arg in ("--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri",
            "--talk-name=org.freedesktop.secrets"):
    need(arg in finish_args, f"finish-arg {arg} is missing")
need(not any(a.startswith("--filesystem") for a in finish_args),
     "no filesystem access: files come through the portals")

modules = manifest.get("modules", [])
need(modules and modules[-1].get("name") == "sextant", "the last module must be sextant")
for module in modules:
    if isinstance(module, str):
        need((manifest_path.parent / module).exists(), f"module file {module} does not exist")
        continue
    for source in module.get("sources", []):
        kind = source.get("type")
        if kind in ("archive", "file") and "url" in source:
            need(re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")) is not None,
                 f"{module['name']}: {source['url']} has no sha256")
        if "path" in source:
            need((manifest_path.parent / source["path"]).exists(),
                 f"{module['name']}: path {source['path']} does not exist")
        if kind == "git":
            need("commit" in source or "tag" in source, f"{module['name']}: git source not pinned")

for problem in problems:
    print(problem)
print(f"{len(problems)} problem(s) in {manifest_path.relative_to(root)}")
sys.exit(1 if problems else 0)
