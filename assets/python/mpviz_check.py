"""Checks a program before mpviz runs it: exit 0 if it is Python that uses
multiprocessing (or concurrent.futures, which runs on it); else one line on stderr saying why, and exit 2."""
import ast
import sys


def main(path):
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as e:
        return "cannot read '%s': %s" % (path, e.strerror)
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError) as e:
        where = " (line %d)" % e.lineno if getattr(e, "lineno", None) else ""
        return "'%s' is not a Python program%s: %s" % (path, where, getattr(e, "msg", e))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [node.module + "." + a.name for a in node.names]
        # concurrent.futures' ProcessPoolExecutor runs on multiprocessing too.
        if any(n in ("multiprocessing", "concurrent.futures") or n.startswith("multiprocessing.")
               or n.startswith("concurrent.futures.") for n in names):
            return None
    return "'%s' never imports multiprocessing: there would be nothing to show" % path


if __name__ == "__main__":
    why = main(sys.argv[1])
    if why:
        print("mpviz: " + why, file=sys.stderr)
        sys.exit(2)
