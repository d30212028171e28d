"""A plan's version is the SHA-256 of the canonical JSON of its protocols, contacts and
roles, however it is computed: the engine writes the protocols' text once for every site,
and the versions staff acknowledged stay the same."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readiness.rules.plan_version import digest, plan_version

texts = st.text(max_size=12)
protocols = st.dictionaries(
    texts, st.dictionaries(texts, st.lists(texts, max_size=3), max_size=3), max_size=3
)
contacts = st.dictionaries(texts, st.one_of(st.none(), texts, st.integers()), max_size=4)
roles = st.lists(st.tuples(texts, texts, texts), max_size=4)


def generic(protocols: object, contacts: dict[str, object], roles: list[tuple[str, ...]]) -> str:
    """The version as the canonical JSON of the whole plan would give it."""
    shown = {
        name: (str(v).strip() or None) if v is not None else None for name, v in contacts.items()
    }
    return digest(
        {
            "protocols": protocols,
            "contacts": {name: value for name, value in shown.items() if value is not None},
            "roles": sorted([list(role) for role in roles]),
        }
    )


@given(protocols, contacts, roles)
def test_plan_version_equals_the_digest_of_the_whole_plan(p, c, r) -> None:
    assert plan_version(p, c, r) == generic(p, c, r)


def test_same_protocols_object_then_another_gives_each_its_own_version() -> None:
    first = {"anaphylaxis": {"steps": ["Call 911"]}}
    second = {"anaphylaxis": {"steps": ["Call 999"]}}
    contacts_ = {"ems_number": "911"}
    a = plan_version(first, contacts_, [])
    b = plan_version(second, contacts_, [])
    assert a != b
    assert plan_version(first, contacts_, []) == a == generic(first, contacts_, [])
    # The same object changed in place is not a case the engine meets (protocols are
    # loaded once and never edited), but a new object with equal content gives the same.
    assert plan_version(dict(first), contacts_, []) == a
