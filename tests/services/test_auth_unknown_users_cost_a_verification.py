"""Signing in as an unknown or disabled user still verifies a hash, so it takes as long."""

from __future__ import annotations

import pytest

from readiness.db import Database
from readiness.services import users as auth


def test_every_failed_sign_in_runs_one_argon2_verification(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.write() as session:
        auth.create_user(
            session, username="ann", role="admin", password="a long secret!", actor="t"
        )
        auth.create_user(
            session, username="bob", role="officer", password="a long secret!", actor="t"
        )
        auth.disable_user(session, "bob", actor="t")
    calls: list[str] = []
    real = auth._HASHER

    class Counting:
        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real.verify(hash_, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(auth, "_HASHER", Counting())
    with sqlite_db.write() as session:
        for name in ("ann", "nobody", "bob"):
            calls.clear()
            assert auth.authenticate(session, name, "wrong secret!!") is None
            assert len(calls) == 1, name
    assert calls == [auth._DUMMY_HASH]
