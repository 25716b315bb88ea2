#!/usr/bin/env python3
"""Checks the engine's rooms (docs/architecture.md): every #include between
rooms goes one way, and nothing in engine/ includes a screen or a scenario.

    check_engine_rooms.py ROOT          check the tree at ROOT; exit 1 on a violation
    check_engine_rooms.py --self-test   show that each rule catches what it should

A room may include itself and the rooms listed for it below, nothing else of
the engine. A new folder under engine/ must be added to ROOMS (so its place in
the order is a decision, not an accident)."""
import os
import re
import sys

# room -> the rooms it may include (lower rooms). Order, bottom up:
#   wire, scenario  <  model, runtime  <  recording, control  <  explore
ROOMS = {
    "wire": set(),
    "scenario": set(),
    "model": {"wire"},
    "runtime": {"wire", "scenario"},
    "recording": {"wire", "model", "scenario"},
    "control": {"wire", "scenario", "model", "runtime"},
    "explore": {"wire", "scenario", "model", "recording", "control", "runtime"},
}
# Include prefixes the engine never uses: it knows no screen and names no scenario.
FORBIDDEN = [
    (re.compile(r"^(imgui|imgui_|backends/imgui)"), "ImGui"),
    (re.compile(r"^GLFW/"), "GLFW"),
    (re.compile(r"^(glad/|GL/)"), "OpenGL/glad"),
    (re.compile(r"^scenarios/"), "a scenario (scenarios/)"),
    (re.compile(r"^app/"), "the front end (app/)"),
]
MAX_FILES_AT_TOP = 12
SOURCE = re.compile(r"\.(c|cc|cpp|h|hpp|inc)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def violations(files):
    """files: {path relative to engine/: text}. Returns a list of messages."""
    out = []
    top = [p for p in files if "/" not in p]
    if len(top) > MAX_FILES_AT_TOP:
        out.append(f"engine/ holds {len(top)} source files directly (at most {MAX_FILES_AT_TOP})")
    for path, text in sorted(files.items()):
        room = path.split("/")[0] if "/" in path else None
        if room is not None and room not in ROOMS:
            out.append(f"engine/{path}: folder '{room}' is not a known room (add it to ROOMS in {os.path.basename(__file__)})")
            continue
        for n, line in enumerate(text.splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            inc = m.group(1)
            for pat, what in FORBIDDEN:
                if pat.search(inc):
                    out.append(f"engine/{path}:{n}: includes {what}: {inc}")
            if inc.startswith("engine/"):
                parts = inc.split("/")
                target = parts[1] if len(parts) > 2 else None
                if room is None or target is None or target == room:
                    continue
                if target not in ROOMS:
                    out.append(f"engine/{path}:{n}: includes unknown room '{target}': {inc}")
                elif target not in ROOMS[room]:
                    out.append(f"engine/{path}:{n}: room '{room}' may not include room '{target}' ({inc})")
    return out


def read_tree(root):
    files = {}
    base = os.path.join(root, "engine")
    for d, _, names in os.walk(base):
        for name in names:
            if SOURCE.search(name):
                full = os.path.join(d, name)
                with open(full, encoding="utf-8", errors="replace") as f:
                    files[os.path.relpath(full, base)] = f.read()
    return files


def self_test():
    ok = {"wire/event.hpp": "#include <cstdint>\n", "model/log.hpp": '#include "engine/wire/event.hpp"\n'}
    cases = {
        "a lower room includes a higher one": {"wire/codec.cpp": '#include "engine/model/event_log.hpp"\n'},
        "runtime includes control": {"runtime/x.cpp": '#include "engine/control/janitor.hpp"\n'},
        "ImGui": {"model/x.cpp": "#include <imgui.h>\n"},
        "GLFW": {"model/x.cpp": "#include <GLFW/glfw3.h>\n"},
        "glad": {"control/x.cpp": '#include "glad/gl.h"\n'},
        "a scenario": {"control/x.cpp": '#include "scenarios/registry.hpp"\n'},
        "an unknown room": {"ui/x.cpp": "\n"},
        "too many files at the top": {f"f{i}.cpp": "\n" for i in range(MAX_FILES_AT_TOP + 1)},
    }
    failed = 0
    if violations(ok):
        print("self-test: a clean tree was flagged:", violations(ok))
        failed += 1
    for name, extra in cases.items():
        v = violations({**ok, **extra})
        if not v:
            print(f"self-test: not caught: {name}")
            failed += 1
    print(f"self-test: {len(cases) + 1 - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 2 or not os.path.isdir(os.path.join(argv[1], "engine")):
        print("usage: check_engine_rooms.py ROOT | --self-test (ROOT holds engine/)", file=sys.stderr)
        return 2
    files = read_tree(argv[1])
    v = violations(files)
    for msg in v:
        print(msg)
    rooms = sorted({p.split("/")[0] for p in files if "/" in p})
    print(f"engine rooms: {len(files)} files in {', '.join(rooms)}; {len(v)} violations")
    return 1 if v else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
