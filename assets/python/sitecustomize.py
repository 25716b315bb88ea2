# Loaded by every Python process mpviz starts (PYTHONPATH puts this folder
# first). Outside an mpviz run it does nothing.
import os

if os.environ.get("MPVIZ_EVENT_FD"):
    import mpviz_trace

    mpviz_trace.install()
