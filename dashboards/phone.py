"""Phones and narrow windows: the sidebar closes once a page is chosen in it.

Streamlit closes its sidebar after a page link is clicked only when the browser says
it is a phone; a narrow window on a tablet or a desktop (or a phone asking for the
desktop site) kept the sidebar open over the page. This script, the same on every
run and with no input in it, closes the sidebar after a click on a page link
whenever the window is as narrow as Streamlit's own phone layout.
"""

from __future__ import annotations

import streamlit as st

# Streamlit overlays the sidebar on the page below this width (its "md" breakpoint).
NARROW_PX = 768
SCRIPT = f"""
<script>
(() => {{
  const root = window.parent === window ? window : window.parent;
  if (root.__readinessSidebarCloser) return;
  root.__readinessSidebarCloser = true;
  root.document.addEventListener("click", (event) => {{
    const link = event.target.closest('[data-testid="stSidebarNav"] a');
    if (!link || root.innerWidth > {NARROW_PX}) return;
    // After Streamlit handled the click: its own handler switches the page.
    root.setTimeout(() => {{
      const bar = root.document.querySelector('[data-testid="stSidebar"]');
      // Only while it is on screen: the same button would open a closed one.
      if (!bar || bar.getBoundingClientRect().right <= 0) return;
      const close = bar.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }}, 0);
  }}, true);
}})();
</script>
"""


def close_sidebar_after_navigation() -> None:
    """Install the click handler (once per browser tab; later runs find it installed).

    In the sidebar, where an empty element takes no room from the page.
    """
    st.sidebar.html(SCRIPT, unsafe_allow_javascript=True)
