"""An event's hash is SHA-256 over the previous hash and the canonical JSON of its nine
fields, whatever text they hold: the chain hashes events without building that JSON the
generic way, and must still agree with it (and with every chain written before)."""

from __future__ import annotations

import hashlib
import itertools
import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from readiness.audit.chain import GENESIS, canonical, event_hash

AWKWARD = [
    "",
    "plain",
    'quote " and backslash \\ and slash /',
    "line\nbreak\ttab\rreturn\bbell\fform",
    "control \x00 \x01 \x1f \x7f",
    "café — naïve ☕ 🚑 \u2028 \u2029",
    '{"already":"json","n":[1,2]}',
]


def _expected(prev: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev + "\n" + canonical(fields)).encode()).hexdigest()


def _fields(rng: random.Random, seq: int) -> dict[str, Any]:
    zone = timezone(timedelta(hours=rng.choice([-8, -5, 0, 5.5])))
    at = datetime(2026, 3, 9, 12, 0, tzinfo=UTC) + timedelta(
        seconds=rng.randint(-(10**8), 10**8), microseconds=rng.choice([0, 1, 999_999])
    )
    return {
        "seq": seq,
        "at": at.astimezone(zone),
        "actor": rng.choice(AWKWARD),
        "action": rng.choice(["create", "update", "void"]),
        "entity": rng.choice(AWKWARD),
        "entity_id": rng.choice(AWKWARD),
        "before": rng.choice([None, *AWKWARD]),
        "after": rng.choice([None, *AWKWARD]),
        "reason": rng.choice([None, *AWKWARD]),
    }


def test_hash_equals_sha256_of_the_canonical_json_for_awkward_text() -> None:
    rng = random.Random(16)
    prev = GENESIS
    for seq in range(1, 2001):
        fields = _fields(rng, seq)
        digest = event_hash(prev, fields)
        assert digest == _expected(prev, fields), fields
        prev = digest


def test_unusual_types_hash_as_the_generic_encoder_writes_them() -> None:
    base = _fields(random.Random(3), 1)
    odd_values: list[tuple[str, Any]] = [
        ("entity_id", 12),
        ("seq", True),
        ("at", datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("reason", 1.5),
    ]
    for key, value in odd_values:
        fields = base | {key: value}
        assert event_hash(GENESIS, fields) == _expected(GENESIS, fields), key


def test_every_mix_of_missing_states_hashes_alike() -> None:
    base = _fields(random.Random(5), 7)
    for before, after, reason in itertools.product([None, "{}"], repeat=3):
        fields = base | {"before": before, "after": after, "reason": reason}
        assert event_hash(GENESIS, fields) == _expected(GENESIS, fields)
