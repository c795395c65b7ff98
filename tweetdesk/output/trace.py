"""`--verbose`: tweetdesk's, tweepy's and urllib3's debug traces on stderr."""

from __future__ import annotations

import sys
from typing import Any

VERBOSE_HANDLER = "tweetdesk-verbose"
VERBOSE_LOGGERS = ("tweetdesk", "tweepy", "urllib3")


def enable_verbose() -> None:
    """--verbose: tweetdesk's, tweepy's and urllib3's debug traces on stderr. Credentials never
    appear in them: OAuth signing happens inside requests, after tweepy logs its headers."""
    import logging

    class Stderr(logging.StreamHandler):
        """Writes to whatever sys.stderr is at the time (tests swap it)."""

        @property
        def stream(self) -> Any:
            return sys.stderr

        @stream.setter
        def stream(self, value: Any) -> None:
            pass

    handler = Stderr()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    for name in VERBOSE_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        if not any(h.get_name() == VERBOSE_HANDLER for h in logger.handlers):
            handler.set_name(VERBOSE_HANDLER)
            logger.addHandler(handler)
