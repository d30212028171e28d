"""Stock and expiry: every lot on hand during the period, its units on hand at the period's
end (opening count plus received, less used and disposed) and what moved during it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import or_, select

from readiness.compliance.histories import locations_on
from readiness.export.context import ExportContext
from readiness.export.layout import SheetSpec, day, number, status, text
from readiness.export.sheets import SheetData
from readiness.export.sheets.common import SITE
from readiness.export.stream import Row
from readiness.models import MOVEMENT_KINDS, MOVEMENT_SIGN, StockLot, StockMovement
from readiness.policy.pack import Policy
from readiness.policy.requirements import StockRequirement
from readiness.rules import due as rules

# For items the policy does not name: replaced before the printed date, warned 60 days ahead.
DEFAULT_WARN_DAYS = 60

STOCK = SheetSpec(
    "Stock and expiry",
    (
        SITE,
        text("Item", 22),
        text("Lot number", 14),
        number("On hand at period end", 9),
        number("Received in period", 9),
        number("Used in period", 9),
        number("Disposed in period", 9),
        day("Received on"),
        day("Expires on"),
        text("Location", 18),
        status("Expiry status at period end", 14),
        number("Days left at period end", 11),
        number("Policy minimum in date", 11),
    ),
)


def stock(ctx: ExportContext) -> SheetData:
    """Lots received by the end of the period that had not expired before it began."""
    return SheetData(STOCK, _rows(ctx))


def _rows(ctx: ExportContext) -> Iterator[Row]:
    end = ctx.request.end
    rules_by_item = _item_rules(ctx.policy)
    for site in ctx.sites:
        query = (
            select(StockLot.__table__)
            .where(
                StockLot.site_id == site.pk,
                StockLot.expires_on >= ctx.request.start,
                or_(StockLot.received_on.is_(None), StockLot.received_on <= end),
            )
            .order_by(StockLot.expires_on, StockLot.id)
        )
        lots = sorted(
            ctx.session.execute(query), key=lambda lot: (lot.item, lot.expires_on, lot.id)
        )
        moved = _movements(ctx, [lot.id for lot in lots])
        # Where each lot was kept at the period's end (its location history).
        places = locations_on(ctx.session, site.pk, end)
        for lot in lots:
            mine = moved.get(lot.id, [])
            during = {
                kind: sum(units for day, k, units in mine if k == kind and day >= ctx.request.start)
                for kind in MOVEMENT_KINDS
            }
            opening = lot.quantity if lot.received_on is None or lot.received_on <= end else 0
            on_hand = opening + sum(MOVEMENT_SIGN[k] * units for _day, k, units in mine)
            requirement = rules_by_item.get(lot.item)
            warn = requirement.warn_days if requirement else DEFAULT_WARN_DAYS
            valid_through = requirement.valid_through_expiry_date if requirement else False
            state = rules.status_for_due(
                lot.expires_on, end, warn, "expiry", valid_through=valid_through
            )
            ctx.tally["stock lots"] += 1
            yield (
                site.code,
                lot.item,
                lot.lot_number,
                on_hand,
                during["received"],
                during["used"],
                during["disposed"],
                lot.received_on,
                lot.expires_on,
                places.get((lot.item, lot.lot_number), lot.location),
                str(state),
                rules.days_until(lot.expires_on, end),
                requirement.minimum if requirement else None,
            )


def _movements(ctx: ExportContext, lot_ids: list[int]) -> dict[int, list[tuple[date, str, int]]]:
    """Per lot: (day, kind, units) of its current movements up to the period's end."""
    query = (
        select(
            StockMovement.lot_pk,
            StockMovement.occurred_on,
            StockMovement.kind,
            StockMovement.quantity,
        )
        .where(
            StockMovement.lot_pk.in_(lot_ids),
            StockMovement.record_state == "current",
            StockMovement.occurred_on <= ctx.request.end,
        )
        .order_by(StockMovement.occurred_on, StockMovement.id)
    )
    moved: dict[int, list[tuple[date, str, int]]] = {}
    for lot_pk, occurred_on, kind, units in ctx.session.execute(query):
        moved.setdefault(lot_pk, []).append((occurred_on, kind, units))
    return moved


def _item_rules(policy: Policy) -> dict[str, StockRequirement]:
    """The stock requirement of each item the policy names."""
    return {requirement.item: requirement for requirement in policy.of_kind(StockRequirement)}
