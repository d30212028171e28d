"""Once per dashboard process: what every page needs, imported, then kept out of the collector.

Streamlit collects garbage in full after every script run (`runner.postScriptGC`), and
the collection holds the interpreter while it walks every object the process tracks:
some 150,000 once Streamlit, SQLAlchemy, pandas and the models are imported, 30–100 ms
a click on a two-core machine, and up to 300 ms when it is busy. The click's last
messages wait for it, so the frame around every page cost that much more than a bare
Streamlit page. Those objects live as long as the process: `gc.freeze()` sets them
aside, so each collection walks only what a click made. Reference counting still frees
whatever is dropped; only a reference cycle among the frozen objects would outlive its use.
"""

from __future__ import annotations

import gc

_done = False


def settle() -> None:
    """Import the modules the pages share and freeze what is alive (the first run only)."""
    global _done
    if _done:
        return
    _done = True
    # The frame's and the pages' common imports: the ORM and its models, pandas, the
    # engine and the read models (through `cached` and `ui`).
    import cached  # noqa: F401
    import ui  # noqa: F401

    gc.collect()
    gc.freeze()
