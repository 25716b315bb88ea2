#!/usr/bin/python3
"""Drops a file onto mpviz's window the way a file manager does: the XDND
protocol (version 5) from a source window of our own, on the X display of
$DISPLAY. Used by the GUI tests to exercise drag and drop for real.

    xdnd_drop.py FILE [WINDOW_NAME_PART=mpviz] [TIMEOUT_S=20]

Exit 0 when the target accepted the drop and said XdndFinished; 1 otherwise.
Needs python3-xlib (Debian)."""
import os
import sys
import time
import urllib.parse

from Xlib import X, Xatom, display, protocol


def window_name(d, w):
    """_NET_WM_NAME (UTF-8, as GLFW sets it), else WM_NAME."""
    for prop in ("_NET_WM_NAME", "WM_NAME"):
        try:
            p = w.get_full_property(d.intern_atom(prop), X.AnyPropertyType)
        except Exception:
            p = None
        if p is not None and p.value:
            v = p.value
            return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
    return None


def find_window(d, part):
    def walk(w):
        name = window_name(d, w)
        if name and part in name and w.get_attributes().map_state == X.IsViewable:
            return w
        try:
            children = w.query_tree().children
        except Exception:
            return None
        for c in children:
            found = walk(c)
            if found:
                return found
        return None
    return walk(d.screen().root)


def main():
    path = os.path.abspath(sys.argv[1])
    part = sys.argv[2] if len(sys.argv) > 2 else "mpviz"
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    d = display.Display()
    atom = lambda n: d.intern_atom(n)
    A = {n: atom(n) for n in ("XdndAware", "XdndEnter", "XdndPosition", "XdndStatus", "XdndDrop",
                              "XdndFinished", "XdndLeave", "XdndSelection", "XdndActionCopy",
                              "text/uri-list")}
    deadline = time.time() + timeout
    target = None
    while target is None and time.time() < deadline:
        target = find_window(d, part)
        if target is None:
            time.sleep(0.2)
    if target is None:
        print("xdnd_drop: no window named like %r" % part, file=sys.stderr)
        return 1
    # The XdndAware property may sit on the toplevel we found or its frame.
    prop = target.get_full_property(A["XdndAware"], X.AnyPropertyType)
    if prop is None:
        print("xdnd_drop: the window is not XdndAware", file=sys.stderr)
        return 1
    version = min(5, int(prop.value[0]))
    geo = target.get_geometry()
    pos = target.translate_coords(d.screen().root, 0, 0)
    x, y = -pos.x + geo.width // 2, -pos.y + geo.height // 2

    src = d.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
    src.set_selection_owner(A["XdndSelection"], X.CurrentTime)
    uri = ("file://" + urllib.parse.quote(path) + "\r\n").encode()

    def send(kind, data):
        ev = protocol.event.ClientMessage(window=target, client_type=A[kind],
                                          data=(32, (src.id,) + tuple(data)))
        target.send_event(ev, event_mask=0)
        d.flush()

    send("XdndEnter", (version << 24, A["text/uri-list"], 0, 0))
    send("XdndPosition", (0, (x << 16) | y, X.CurrentTime, A["XdndActionCopy"]))
    dropped = False
    while time.time() < deadline:
        while d.pending_events():
            ev = d.next_event()
            if ev.type == X.ClientMessage and ev.client_type == A["XdndStatus"]:
                if not dropped:
                    accepted = ev.data[1][1] & 1
                    if not accepted:
                        print("xdnd_drop: the target refused the drop", file=sys.stderr)
                        send("XdndLeave", (0, 0, 0, 0))
                        return 1
                    send("XdndDrop", (0, X.CurrentTime, 0, 0))
                    dropped = True
            elif ev.type == X.SelectionRequest:
                # The target asks for the data: write it into its property.
                ev.requestor.change_property(ev.property, ev.target, 8, uri)
                reply = protocol.event.SelectionNotify(time=ev.time, requestor=ev.requestor,
                                                       selection=ev.selection, target=ev.target,
                                                       property=ev.property)
                ev.requestor.send_event(reply, event_mask=0)
                d.flush()
            elif ev.type == X.ClientMessage and ev.client_type == A["XdndFinished"]:
                return 0
        time.sleep(0.02)
    print("xdnd_drop: no XdndFinished from the target", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
