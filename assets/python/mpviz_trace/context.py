"""multiprocessing.context: --method (MPVIZ_METHOD) sets the default start
method; a program's own set_start_method still wins. Emits no events:
process.py reads the method each process really uses."""
import os


def install():
    import multiprocessing

    method = os.environ.get("MPVIZ_METHOD")
    if method:
        # --method overrides the default; a program's own set_start_method wins.
        multiprocessing.set_start_method(method, force=True)
        orig_set = multiprocessing.context.DefaultContext.set_start_method
        multiprocessing.context.DefaultContext.set_start_method = (
            lambda self, m, force=False: orig_set(self, m, force=True))
        multiprocessing.set_start_method = multiprocessing.context._default_context.set_start_method
