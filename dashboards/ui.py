"""Small layout helpers every page shares: tables in plain words with status colours, writes
through one safe form helper, reads that fail as sentences."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import cached
import pandas as pd
import streamlit as st
from state import database
from streamlit.runtime.state import get_session_state

from readiness import clock
from readiness.access import Principal
from readiness.errors import UserError
from readiness.views import labels
from readiness.views.sites import site_todays, visible_sites

LOG = logging.getLogger("readiness.dashboards")
T = TypeVar("T")
UNEXPECTED = (
    "Something went wrong and nothing was recorded. Try again; if it keeps happening,"
    " tell the administrator."
)
UNREADABLE = (
    "The data could not be read. Try again in a moment; if it keeps happening,"
    " run `readiness init`."
)
# A repeat of the last success's values this soon after it is a double click, not a new record.
REPEAT_S = 30.0
# Colours of the status words (light, so the label stays readable), worst first.
COLOURS = {
    "Failed": "#f8b4b4",
    "Overdue": "#f8b4b4",
    "Expired": "#f8b4b4",
    "Not ready": "#f8b4b4",
    "Missing": "#fcd9b6",
    "Due soon": "#fdf0a6",
    "Expiring": "#fdf0a6",
    "OK": "#bfe8c4",
    "Ready": "#bfe8c4",
}
GREY = "#e5e7eb"


def colour(value: str) -> str:
    """The colour of a cell whose text starts with a status word (grey when none)."""
    return next((hue for word, hue in COLOURS.items() if value.startswith(word)), GREY)


def as_labels(frame: pd.DataFrame, columns: Iterable[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Status columns as coloured labels: one-item lists shown by a read-only multiselect column.

    (A pandas Styler colours cells too, but costs some 90 ms per thousand rows to send.)
    """
    config: dict[str, Any] = {}
    changed: dict[str, list[list[str]]] = {}
    for column in columns:
        if column not in frame.columns:
            continue
        values = frame[column].fillna("").astype(str)
        options = sorted(values.unique())
        changed[column] = [[value] if value else [] for value in values]
        config[column] = st.column_config.MultiselectColumn(
            column, options=options, color=[colour(option) for option in options]
        )
    return frame.assign(**changed), config  # type: ignore[arg-type]  # lists of lists are cells


# How long a write's confirmation stays on its page. Not just the next run: a double
# click's second run, or a form redrawn for the new record, comes right after it and
# would otherwise wipe the confirmation before it could be read.
FLASH_S = 4.0
# The page running now (its address), set by the app's shell before it runs the page.
PAGE_KEY = "page_now"


def say(message: str) -> None:
    """Confirm a write: shown at the top of this page on its runs of the next few seconds."""
    st.session_state["flash"] = (message, time.monotonic(), st.session_state.get(PAGE_KEY, ""))


def said() -> str | None:
    """The confirmation this run of this page shows, if any (see `say`)."""
    entry: tuple[str, float, str] | None = st.session_state.get("flash")
    if entry is None:
        return None
    message, at, page = entry
    if time.monotonic() - at > FLASH_S:
        del st.session_state["flash"]
        return None
    return message if page == st.session_state.get(PAGE_KEY, "") else None


def flash() -> None:
    """The confirmation of the last write on this page, for a few seconds."""
    message = said()
    if message:
        st.success(message)


def perform(write: Callable[[], str], *, forget: Iterable[str] = ()) -> None:
    """Run a write; on success clear cached reads and the form, show the message, redraw.

    A UserError is shown as its sentence; anything else as a sentence too, with the
    traceback only in the server log.
    """
    try:
        message = write()
    except UserError as error:
        st.error(str(error))
        return
    except Exception:
        LOG.exception("a dashboard write failed")
        st.error(UNEXPECTED)
        return
    cached.after_write()
    for key in forget:
        st.session_state.pop(key, None)
    say(message)
    st.rerun()


def read(load: Callable[[], T]) -> T:
    """Run a read; a failure is a sentence on screen and the page stops."""
    try:
        return load()
    except UserError as error:
        st.error(str(error))
    except Exception:
        LOG.exception("a dashboard read failed")
        st.error(UNREADABLE)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def attempt(work: Callable[[], T]) -> T | None:
    """Run something the user asked for; a failure is a sentence and None, the page goes on."""
    try:
        return work()
    except UserError as error:
        st.error(str(error))
    except Exception:
        LOG.exception("a dashboard request failed")
        st.error("That did not work. Try again; if it keeps happening, tell the administrator.")
    return None


def sites_of(user: Principal) -> dict[str, str]:
    """Code -> name of the sites the user covers; stops with a note when there are none."""

    def load() -> dict[str, str]:
        with database().read() as session:
            return visible_sites(session, user)

    sites = read(load)
    if not sites:
        st.info("No sites yet. Import your spreadsheets with `readiness import --dir DIR`.")
        st.stop()
    return sites


def todays(codes: list[str]) -> dict[str, date]:
    """Each site's local date now."""

    def load() -> dict[str, date]:
        with database().read() as session:
            return site_todays(session, codes, clock.utc_now())

    return read(load)


def compliance(user: Principal, sites: dict[str, str]) -> pd.DataFrame:
    """Every compliance item of the user's sites (cached per day and data version)."""
    version = read(cached.data_version)
    days = cached.days_key(todays(list(sites)))
    return read(lambda: cached.items(database().url, user.site_codes, days, version))


def site_picker(
    sites: dict[str, str], key: str, *, all_label: str | None = "All sites"
) -> list[str]:
    """A site selectbox; "All sites" (when offered and there are several) gives every code."""
    options: list[str] = list(sites)
    if all_label and len(options) > 1:
        options = ["*", *options]
    chosen = st.selectbox(
        "Site",
        options,
        format_func=lambda c: str(all_label) if c == "*" else f"{c} — {sites[c]}",
        key=key,
    )
    return list(sites) if chosen == "*" else [str(chosen)]


def plural(count: int, noun: str, many: str | None = None) -> str:
    """ "1 site", "2 sites"."""
    return labels.plural(count, noun, many)


def title_of(code: str) -> str:
    """A requirement's or scenario's title in the policy, else the code in words."""
    return labels.titles(cached.rules()[0]).get(code) or labels.words(code)


def table(
    frame: pd.DataFrame,
    key: str,
    *,
    status_columns: Iterable[str] = (),
    empty: str = "Nothing to show.",
    **kwargs: Any,
) -> None:
    """A dataframe in plain words, without index, status cells coloured; a note when empty."""
    if frame.empty:
        st.caption(empty)
        return
    policy = cached.rules()[0]
    known = labels.titles(policy)
    shown, config = as_labels(
        labels.plain(frame, policy), [labels.header(c, known) for c in status_columns]
    )
    # The keyed container (class st-key-<key>_box) lets a browser test find the grid.
    with st.container(key=f"{key}_box"):
        st.dataframe(shown, hide_index=True, key=key, column_config=config, **kwargs)


# --- forms: one helper for every write form ----------------------------------------------


@dataclass(frozen=True)
class Form:
    """A write form, safe against a double click, a retry and a list that changed.

    `open()` makes the idempotency key when the form is drawn; a submit records once per
    key, and a submit repeating the last success's values within `REPEAT_S` seconds (a
    double click resends what the browser shows, even after the form was cleared) is
    refused too. After a success the fields (widget keys starting with `prefix`) clear and
    a new key is made. Writers re-read what they act on inside their transaction.
    """

    name: str
    keep: tuple[str, ...] = ()  # widget keys left as they are after a success (e.g. the site)
    prefix: str = ""  # the widgets' key prefix when it is not `name`_

    def open(self) -> str:
        """This drawing's idempotency key (made on the first draw, replaced after a success).

        Called before the form's widgets: after a success it also sets them back to their
        defaults, so the browser shows the form empty (see `_defaults`).
        """
        for name, value in st.session_state.pop(f"{self.name}_form_reset", {}).items():
            try:
                st.session_state[name] = value
            except Exception:  # a widget whose value cannot be set (a file upload): leave it
                LOG.debug("form field %s not reset", name)
        fresh = f"{self.name}:{uuid.uuid4()}"
        return str(st.session_state.setdefault(f"{self.name}_form_key", fresh))

    def seen(self, shown: T) -> T | None:
        """Keep what the form shows now; return what it showed at the last draw, the one the
        user chose from (a submit is checked against that, not against a newer list)."""
        before: T | None = st.session_state.get(f"{self.name}_form_seen")
        st.session_state[f"{self.name}_form_seen"] = shown
        return before

    def submit(self, write: Callable[[str], str]) -> None:
        """Write once (the key goes to `write`); on success clear the form, show the message."""
        key, values = self.open(), self._values()
        last: tuple[str, str, float, str] | None = st.session_state.get(f"{self.name}_form_done")
        if last is not None and (
            last[0] == key
            or (last[1] == values and time.monotonic() - last[2] < REPEAT_S)
            or self._untouched()
        ):
            self._reset_later()
            self._clear()
            say(f"Already recorded, nothing added: {last[3]}")
            st.rerun()

        def once() -> str:
            message = write(key)
            # At once: a second click must find it even if this run is cut short.
            st.session_state[f"{self.name}_form_done"] = (key, values, time.monotonic(), message)
            self._reset_later()
            return message

        perform(once, forget=[*self._fields(), f"{self.name}_form_key"])

    def _fields(self) -> list[str]:
        """The form's widget keys that clear after a success."""
        prefix = self.prefix or f"{self.name}_"
        return [
            str(k)
            for k in st.session_state
            if str(k).startswith(prefix) and "_form_" not in str(k) and str(k) not in self.keep
        ]

    def _values(self) -> str:
        """What the form submits now, as one comparable text."""
        state = st.session_state
        names = sorted(k for k in self._fields() if not k.endswith("_submit"))
        return repr([(name, state[name]) for name in names if name in state])

    def _reset_later(self) -> None:
        """Keep the fields' defaults for the next draw's `open()` to set."""
        defaults = _defaults(self._fields())
        st.session_state[f"{self.name}_form_reset"] = defaults
        st.session_state[f"{self.name}_form_blank"] = (defaults, time.monotonic())

    def _untouched(self) -> bool:
        """True when the form comes back as it was cleared, soon after a success: the second
        click of a double click that arrived after the form emptied (not a new record)."""
        blank: tuple[dict[str, Any], float] | None = st.session_state.get(f"{self.name}_form_blank")
        if not blank or not blank[0] or time.monotonic() - blank[1] >= REPEAT_S:
            return False
        state = st.session_state
        return all(name in state and state[name] == value for name, value in blank[0].items())

    def _clear(self) -> None:
        for name in [*self._fields(), f"{self.name}_form_key"]:
            st.session_state.pop(name, None)


# Streamlit's value converters of the pickers, by class name (see `_defaults`).
PICKERS = frozenset({"SelectboxSerde", "RadioSerde", "SelectSliderSerde"})


def _defaults(names: Iterable[str]) -> dict[str, Any]:
    """Each widget's default value, by key.

    Dropping a widget's key from the session state resets it on the server only: the
    browser keeps showing (and sends again) what was typed. A value *set* through the
    session state before the widget is drawn reaches the browser too; the default is
    what the widget's own deserializer gives for "no value from the browser". Streamlit
    offers no public way to read a widget's default, hence its session internals: when
    they differ (another Streamlit), nothing is set and the form clears on the server only.
    """
    try:
        internal = get_session_state()._state
        ids, widgets = internal._key_id_mapper, internal._new_widget_state.widget_metadata
    except AttributeError:
        return {}
    found: dict[str, Any] = {}
    for name in names:
        meta = widgets.get(ids.get_id_from_key(name, None) or "")
        if meta is None or "trigger" in str(meta.value_type) or "file" in str(meta.value_type):
            continue
        # Pickers keep their choice: the entry chosen may be gone from the list after the
        # write (an action closed), and a value set for it would come back as typed text.
        if type(getattr(meta.deserializer, "__self__", None)).__name__ in PICKERS:
            continue
        try:
            default = meta.deserializer(None)
        except Exception:  # a widget that has no default without the browser's value
            continue
        # Only empty defaults: one drawn from the data (a suggested case reference, the
        # details being corrected) is drawn afresh from the data after the write.
        if default is None or default in ("", False) or default == []:
            found[name] = default
    return found


CHANGED = (
    "The list changed since it was drawn (someone else recorded something); nothing was"
    " recorded. Check the list and choose again."
)


def still_listed(
    chosen: object, seen: Mapping[Any, str] | None, now: Mapping[Any, str], gone: str = CHANGED
) -> Any:
    """The choice of a picker drawn with `accept_new_options` (a label no longer listed comes
    back as its text instead of falling to another entry), when it still names what it
    named in the list the user chose from (`Form.seen`); else a UserError saying `gone`."""
    if seen is None or chosen not in now or seen.get(chosen) != now[chosen]:
        raise UserError(gone)
    return chosen
