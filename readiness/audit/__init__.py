"""The audit trail: the SHA-256 hash chain and the record rules (amend, void)."""
