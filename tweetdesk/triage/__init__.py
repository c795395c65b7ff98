"""The pure rules of the desk: thread state, the SLA clock and business hours, stale, priority
and sentiment, tags, and a thread as a listing shows it.

Every function takes `now` (UTC-aware) as an argument; nothing here reads the clock, the
database or the network.
"""
