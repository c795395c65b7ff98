"""Settings: config.toml, the environment and options, validated key by key (`schema`), and
resolved with the source of every value (`settings`).
"""
