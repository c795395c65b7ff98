"""tweetdesk: a local-first command-line desk for answering customers on X."""

__version__ = "0.1.0"
