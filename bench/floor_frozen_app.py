"""The floor of bench/dashboard.py with the dashboard's start-up (dashboards/startup.py).

The same two trivial pages (bench/floor_app.py, run as they are), but what is imported is
frozen out of the garbage collector once per process, as the dashboard does: Streamlit
collects in full after every run, and on the plain floor that walk over Streamlit's own
objects is most of a click. This is the least a Streamlit page can cost here.
"""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

if gc.get_freeze_count() == 0:
    gc.collect()
    gc.freeze()

runpy.run_path(str(Path(__file__).with_name("floor_app.py")))
