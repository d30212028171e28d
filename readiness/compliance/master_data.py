"""Sites, staff and assets as they stood on each site's as_of day."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import (
    Date,
    cast,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from readiness.compliance.frames import (
    day_of,
    lookup,
    read_frame,
)
from readiness.compliance.histories import as_of_values
from readiness.compliance.scope import Scope
from readiness.errors import UserError
from readiness.models import (
    Asset,
    AssetStatusChange,
    Site,
    SiteOpenDays,
    Staff,
    StaffAssignment,
    StaffRoleChange,
)
from readiness.rules.due import DATE_DTYPE

# --- master data -----------------------------------------------------------------


def load_sites(session: Session, codes: list[str] | None) -> pd.DataFrame:
    """The named sites (an unknown code is a UserError), else every active site, each with
    its open days history (in the same query)."""
    query = (
        select(
            Site.id.label("site_id"),
            Site.code.label("site"),
            Site.timezone,
            Site.open_days,
            Site.treats_children,
            Site.state,
            Site.procedures,
            SiteOpenDays.effective_from.label("days_from"),
            SiteOpenDays.id.label("days_id"),
            SiteOpenDays.open_days.label("days_open"),
        )
        .outerjoin(SiteOpenDays, SiteOpenDays.site_id == Site.id)
        .order_by(Site.code, SiteOpenDays.id)
    )
    if codes is None:
        return _with_open_days(read_frame(session, query.where(Site.active.is_(True))))
    sites = _with_open_days(read_frame(session, query.where(Site.code.in_(codes))))
    unknown = [code for code in codes if code not in set(sites["site"])]
    if unknown:
        raise UserError(f"unknown site code {unknown[0]!r}")
    return sites


def _with_open_days(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per site, with `open_days_history`: its (effective_from, id, open_days)
    rows, which `Scope` reads as of each site's as_of (known only once as_of is)."""
    history: dict[int, list[tuple[object, ...]]] = {}
    changes = zip(
        rows["site_id"], rows["days_from"], rows["days_id"], rows["days_open"], strict=True
    )
    for site_id, since, pk, days in changes:
        found = history.setdefault(int(site_id), [])
        if pd.notna(pk):
            found.append((None if pd.isna(since) else day_of(since), int(pk), days))
    sites = rows.drop_duplicates("site_id").drop(columns=["days_from", "days_id", "days_open"])
    listed = [tuple(history[int(site_id)]) for site_id in sites["site_id"]]
    return sites.assign(open_days_history=pd.Series(listed, index=sites.index, dtype=object))


def load_people(session: Session, scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The judged sites' own staff, and those assigned on its as_of to a judged site other
    than their home (as rows of that site), in one query."""
    columns = (
        Staff.id.label("staff_pk"),
        Staff.staff_id,
        Staff.role,
        Staff.active,
        Staff.is_lso,
        Staff.hired_on,
        Staff.left_on,
    )
    # Home rows have no assignment dates; an assignment always has its first day.
    none = cast(null(), Date)
    home = select(*columns, Staff.site_id, none.label("starts_on"), none.label("ends_on"))
    away = (
        select(*columns, StaffAssignment.site_id, StaffAssignment.starts_on)
        .add_columns(StaffAssignment.ends_on)
        .join(StaffAssignment, StaffAssignment.staff_pk == Staff.id)
        .where(StaffAssignment.site_id != Staff.site_id)
    )
    both = union_all(
        scope.restrict(home, Staff.site_id), scope.restrict(away, StaffAssignment.site_id)
    ).subquery()
    # Each person's role history comes along in the same query (a row per change).
    changes = (
        StaffRoleChange.id.label("change_id"),
        StaffRoleChange.role.label("changed_role"),
        StaffRoleChange.is_lso.label("changed_lso"),
        StaffRoleChange.effective_from,
    )
    query = select(both, *changes).outerjoin(
        StaffRoleChange, StaffRoleChange.staff_pk == both.c.staff_pk
    )
    frame = _roles_as_of(scope.judged(read_frame(session, query)), scope)
    starts = frame["starts_on"].to_numpy(dtype=DATE_DTYPE)
    ends = frame["ends_on"].to_numpy(dtype=DATE_DTYPE)
    at_home = np.isnat(starts)
    as_of = scope.of(frame["site_id"], "as_of").to_numpy(dtype=DATE_DTYPE)
    there = ~at_home & (starts <= as_of) & (np.isnat(ends) | (as_of <= ends))
    people = frame.drop(columns=["starts_on", "ends_on"])
    staff = _employed(people[at_home], scope)
    visiting = _employed(people[there].drop_duplicates(["staff_pk", "site_id"]), scope)
    return staff, visiting


def _roles_as_of(rows: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """One row per person and site, role and LSO flag as they stood on its site's as_of."""
    changed = rows["change_id"].notna().to_numpy(dtype=bool)
    history = rows.loc[changed, ["staff_pk", "change_id", "changed_role", "changed_lso"]]
    history = history.assign(effective_from=rows["effective_from"].to_numpy()[changed])
    history = history.drop_duplicates("change_id").rename(
        columns={"change_id": "id", "changed_role": "role", "changed_lso": "is_lso"}
    )
    people = rows.drop_duplicates(["staff_pk", "site_id", "starts_on"]).drop(
        columns=["change_id", "changed_role", "changed_lso", "effective_from"]
    )
    as_of = scope.of(people["site_id"], "as_of").to_numpy(dtype=DATE_DTYPE)
    return as_of_values(people, history, "staff_pk", ("role", "is_lso"), as_of)


def _employed(staff: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Staff hired by their site's as_of, `active` as it stood then (from left_on on: not).

    Without a hiring date, employed since before the records; someone made inactive
    without a leaving date stays inactive on every day, as before dates were kept.
    """
    as_of = scope.of(staff["site_id"], "as_of").to_numpy(dtype=DATE_DTYPE)
    hired = staff["hired_on"].to_numpy(dtype=DATE_DTYPE)
    left = staff["left_on"].to_numpy(dtype=DATE_DTYPE)
    hired_by = np.isnat(hired) | (hired <= as_of)
    still = np.isnat(left) | (as_of < left)
    active = still & (staff["active"].to_numpy(dtype=bool) | ~np.isnat(left))
    return staff[hired_by].assign(active=active[hired_by])


def load_assets(session: Session, scope: Scope) -> pd.DataFrame:
    """Assets as they stood at their site's as_of, with their status history in one query."""
    query = (
        select(
            Asset.id.label("asset_pk"),
            Asset.asset_id,
            Asset.site_id,
            Asset.kind,
            Asset.status,
            Asset.service_interval_months,
            Asset.pads_expire_on,
            Asset.battery_expires_on,
            Asset.name,
            Asset.wavelength_nm,
            Asset.optical_density,
            Asset.laser_kind,
            AssetStatusChange.id.label("change_id"),
            AssetStatusChange.status.label("changed_to"),
            AssetStatusChange.effective_from,
        )
        .outerjoin(AssetStatusChange, AssetStatusChange.asset_pk == Asset.id)
        .order_by(Asset.id, AssetStatusChange.id)
    )
    frame = scope.judged(read_frame(session, scope.restrict(query, Asset.site_id)))
    changed = frame["change_id"].notna().to_numpy()
    changes = frame.loc[changed, ["change_id", "asset_pk", "site_id", "changed_to"]]
    changes = changes.assign(effective_from=frame["effective_from"].to_numpy()[changed])
    assets = frame.drop_duplicates("asset_pk").drop(
        columns=["change_id", "changed_to", "effective_from"]
    )
    return _status_as_of(assets, changes, scope)


def _status_as_of(assets: pd.DataFrame, changes: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Assets in service by their site's as_of, `status` as it stood then.

    The latest change on or before as_of decides (ties: the later row); an asset whose
    history starts after as_of was not there yet; one without a history keeps its status.
    """
    since = changes["effective_from"].to_numpy(dtype=DATE_DTYPE)
    as_of = scope.of(changes["site_id"], "as_of").to_numpy(dtype=DATE_DTYPE)
    known = changes[np.isnat(since) | (since <= as_of)]
    start = known["effective_from"].fillna(pd.Timestamp.min.ceil("D"))
    latest = (
        known.assign(start=start.to_numpy())
        .sort_values(["asset_pk", "start", "change_id"], kind="stable")
        .drop_duplicates("asset_pk", keep="last")
        .set_index("asset_pk")["changed_to"]
    )
    kept = lookup(latest, assets["asset_pk"])
    has_history = assets["asset_pk"].isin(changes["asset_pk"]).to_numpy()
    there = ~has_history | kept.notna().to_numpy()
    status = kept.where(kept.notna(), assets["status"])
    return assets[there].assign(status=status[there].astype("str"))
