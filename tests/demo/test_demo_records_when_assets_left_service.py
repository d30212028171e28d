"""The demo takes a laser out of service and retires another (with its eyewear) through their
status history, as the asset service records it: in service since before the records
began, then the new status from its day, with the asset's columns in step. So a past
as_of still sees them in service, and the audit chain vouches for every history row."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from readiness.audit import chain as audit
from readiness.compliance import compliance_items
from readiness.db import Database
from readiness.demo import build_demo
from readiness.models import Asset, AssetStatusChange, AuditEvent
from readiness.policy.pack import load_policy

AS_OF = date(2026, 3, 9)


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, sites=3, days=90, seed=11, if_empty=False, as_of=AS_OF)
    return db


def _histories(db: Database) -> dict[str, tuple[Asset, list[AssetStatusChange]]]:
    with db.read() as session:
        stopped = session.scalars(select(Asset).where(Asset.status != "in_service")).all()
        return {
            asset.asset_id: (
                asset,
                list(
                    session.scalars(
                        select(AssetStatusChange)
                        .where(AssetStatusChange.asset_pk == asset.id)
                        .order_by(AssetStatusChange.id)
                    )
                ),
            )
            for asset in stopped
        }


def test_each_stopped_asset_has_its_history_and_columns_in_step(demo: Database) -> None:
    histories = _histories(demo)
    statuses = {asset.status for asset, _ in histories.values()}
    assert statuses == {"out_of_service", "retired"}
    for asset, changes in histories.values():
        assert [(c.status, c.effective_from) for c in changes] == [
            ("in_service", None),
            (asset.status, asset.status_since),
        ]
        assert asset.status_since is not None and asset.status_since < AS_OF
        assert asset.retired_on == (asset.status_since if asset.status == "retired" else None)
        assert changes[1].reason


def test_the_history_rows_are_audited_and_the_chain_verifies(demo: Database) -> None:
    with demo.read() as session:
        result = audit.verify(session)
        created = session.scalars(
            select(AuditEvent.entity_id).where(
                AuditEvent.entity == "asset_status_changes", AuditEvent.action == "create"
            )
        ).all()
    assert result.ok, result.problems[:5]
    assert len(created) == sum(len(changes) for _, changes in _histories(demo).values())


def test_a_past_as_of_sees_the_laser_still_in_service(demo: Database) -> None:
    (laser, _), *_ = (
        pair for pair in _histories(demo).values() if pair[0].status == "out_of_service"
    )
    assert laser.status_since is not None
    policy = load_policy()

    def waived(as_of: date) -> set[str]:
        """The laser's requirements that owe nothing on as_of (out of service)."""
        site = laser.asset_id.split("-")[0]
        with demo.read() as session:
            items = compliance_items(session, policy, as_of=as_of, sites=[site])
        mine = items[(items["subject"] == laser.asset_id) & (items["status"] == "not_applicable")]
        return set(mine["requirement"])

    # Its daily checks are owed until the day it stopped, and waived from then on.
    assert "laser.daily_check" in waived(AS_OF - timedelta(days=1))
    assert "laser.daily_check" in waived(laser.status_since)
    assert "laser.daily_check" not in waived(laser.status_since - timedelta(days=1))
