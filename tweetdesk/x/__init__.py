"""The X API: the tweepy gateway (the only tweepy import), X's answers turned into errors, what a
request costs, credentials, reach limits, ingest, incremental sync, and delivery exactly once.
"""
