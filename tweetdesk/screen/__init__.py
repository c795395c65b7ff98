"""The full-screen front end, `tweetdesk triage`: the morning as one keyboard-driven screen on
Textual. A second front end beside the command line, over the same desk functions; Textual is
imported only here, and only by this command."""
