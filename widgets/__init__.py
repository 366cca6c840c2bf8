"""Parents as Partners: the Python package behind the kit's notebooks.

Each capability is a subpackage with a pure-Python ``model`` (tested with no kernel) and a thin
ipywidgets ``view``. Nothing is imported here so that a kernel starts fast: notebooks import only
the capability they show.
"""
