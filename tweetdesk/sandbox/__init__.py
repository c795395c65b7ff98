"""The X API v2 simulator behind `tweetdesk demo`, `tweetdesk sandbox serve` and the tests.

It answers the endpoints tweetdesk uses the way X does (the OpenAPI description and recorded
exchanges are the reference, not tweetdesk's client), with injectable faults; see
docs/sandbox.md.
"""

from tweetdesk.sandbox.model import Exchange, Fault, Scenario
from tweetdesk.sandbox.scenario import load_scenario
from tweetdesk.sandbox.server import SandboxServer, serve_forever
from tweetdesk.sandbox.state import SandboxState

__all__ = [
    "Exchange",
    "Fault",
    "SandboxServer",
    "SandboxState",
    "Scenario",
    "load_scenario",
    "serve_forever",
]
