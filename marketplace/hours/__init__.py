"""Service hours: the append-only ledger, star levels, insurance records and certificates."""
