"""Everything that reaches the terminal: rich rendering (the only rich import), JSON, and the
sanitiser every untrusted text passes through.
"""
