"""The composition root (`Desk`: settings, now, store, X client, the person's terminal) and one
function per command, by job: sync, listing, local marks, sending, bulk replies, reports, and
set-up (login, config check, demo). No typer, no SQL, no rich: the CLI renders what these return.
"""
