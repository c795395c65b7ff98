"""`--verbose`: tweetdesk's, tweepy's and urllib3's debug traces on stderr."""

from __future__ import annotations

import sys
from typing import Any

VERBOSE_HANDLER = "tweetdesk-verbose"
# logger -> the level --verbose shows. tweepy's debug lines name api.twitter.com (its hard-coded
# host, not where the request went) and dump every header and the whole body (customers' words,
# DMs): the gateway traces each exchange itself (x.gateway.trace_line), so tweepy and urllib3
# say only what goes wrong (retries, warnings).
VERBOSE_LEVELS = {"tweetdesk": "DEBUG", "tweepy": "WARNING", "urllib3": "INFO"}
VERBOSE_LOGGERS = tuple(VERBOSE_LEVELS)


def enable_verbose() -> None:
    """--verbose: each request (the URL really asked, the status, the rate-limit headers and
    X's transaction id) and the steps on stderr. Credentials never appear: the request's own
    headers are not traced, nor user info in a URL."""
    import logging

    from tweetdesk.output.safe import clean_terminal

    class Inert(logging.Formatter):
        """A trace line made inert: a URL or header value cannot drive the terminal."""

        def format(self, record: logging.LogRecord) -> str:
            return clean_terminal(super().format(record))

    class Stderr(logging.StreamHandler):
        """Writes to whatever sys.stderr is at the time (tests swap it)."""

        @property
        def stream(self) -> Any:
            return sys.stderr

        @stream.setter
        def stream(self, value: Any) -> None:
            pass

    handler = Stderr()
    handler.setFormatter(Inert("%(asctime)s %(name)s: %(message)s"))
    for name, level in VERBOSE_LEVELS.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(h.get_name() == VERBOSE_HANDLER for h in logger.handlers):
            handler.set_name(VERBOSE_HANDLER)
            logger.addHandler(handler)
