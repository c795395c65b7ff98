"""SQLite: the Store (migrated on construction), the append-only migrations, the derived
`threads` index, lookups, local marks, the outbox table, the request ledger and the reads
reports make. The only package that holds SQL.
"""
