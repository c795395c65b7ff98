"""Commands that post to X: reply, undo, dm, bulk-reply."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tweetdesk.cli.app import DbOpt, IdArg, JsonOpt, app, handled, load_desk

if TYPE_CHECKING:
    from tweetdesk.store.outbox import Item

TemplateOpt = Annotated[
    str | None,
    typer.Option("--template", "-t", help="A template name from [templates].", metavar="NAME"),
]
VarOpt = Annotated[
    list[str] | None,
    typer.Option("--var", help="A value for the template (repeatable).", metavar="KEY=VALUE"),
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Send without asking (take a breath).")]
HeatOpt = Annotated[
    bool, typer.Option("--allow-heated", help="Send a text take-a-breath flags (angry, shouting).")
]


def _id(item: Item | None) -> str | None:
    return item.remote_id if item else None


def _vars(pairs: list[str] | None) -> dict[str, str]:
    from tweetdesk.compose.templates import parse_vars

    return parse_vars(pairs or [])


@app.command()
@handled
def reply(
    ref: IdArg,
    text: Annotated[
        str | None, typer.Argument(help="The reply (or use --template).", metavar="TEXT")
    ] = None,
    template: TemplateOpt = None,
    var: VarOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Reply even to a stale thread.")] = False,
    yes: YesOpt = False,
    allow_heated: HeatOpt = False,
    db: DbOpt = None,
) -> None:
    """Reply to the tweet named: in public, or by DM in a DM thread.

    Exactly the tweet named; a thread number means its newest customer tweet.

    Example: tweetdesk reply 12 'Sorry about that, a new bag is on its way today!'
    """
    from tweetdesk.compose.draft import Wording
    from tweetdesk.desk import sending
    from tweetdesk.output import posts

    given = Wording(text, template)
    desk = load_desk(db)
    done = sending.reply(desk, ref, given, _vars(var), force=force, yes=yes or allow_heated)
    info = done.info
    posts.print_replied(
        info.username,
        info.number,
        done.account,
        done.item.remote_id,
        before=done.before,
        tz=desk.timezone,
        now=desk.now,
        dm_link=done.dm_link,
    )


@app.command()
@handled
def undo(
    ref: Annotated[
        str,
        typer.Argument(help="The reply's tweet id, or a thread (its last reply).", metavar="ID"),
    ],
    db: DbOpt = None,
) -> None:
    """Delete a reply and reopen its thread.

    Deletes a reply tweetdesk sent; the customer waits for an answer again.

    Example: tweetdesk undo 1993301234567890123
    """
    from tweetdesk.desk import sending
    from tweetdesk.output import posts

    done = sending.undo(load_desk(db), ref)
    posts.print_undone(done.item.remote_id, done.info.username, done.info.number, done.status)


@app.command()
@handled
def dm(
    ref: IdArg,
    text: Annotated[
        str | None, typer.Argument(help="The direct message (or --template).", metavar="TEXT")
    ] = None,
    template: TemplateOpt = None,
    var: VarOpt = None,
    no_note: Annotated[
        bool, typer.Option("--no-note", help="Skip the public note (template dm_invite).")
    ] = False,
    fallback: Annotated[
        bool,
        typer.Option("--fallback", help="If X refuses the DM, ask in public to DM you instead."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Post the public note even on a stale thread.")
    ] = False,
    yes: YesOpt = False,
    allow_heated: HeatOpt = False,
    db: DbOpt = None,
) -> None:
    """Move a conversation to DM.

    Messages the tweet's author, then posts a short public note (template dm_invite).

    Example: tweetdesk dm 12 "Hi Sam, could you send your order number? We'll fix it today."
    """
    from tweetdesk.compose.draft import Wording
    from tweetdesk.desk import sending
    from tweetdesk.output import posts

    sent = sending.dm(
        load_desk(db),
        ref,
        Wording(text, template),
        _vars(var),
        note=not no_note,
        fallback=fallback,
        force=force,
        yes=yes or allow_heated,
    )
    ids = (_id(sent.dm), _id(sent.note), _id(sent.fallback))
    info = sent.info
    posts.print_dm(info.username, info.number, sent.account, ids, sent.status, sent.problems)


@app.command("bulk-reply")
@handled
def bulk_reply(
    source: Annotated[
        str | None,
        typer.Argument(
            help="CSV (tweet_id,text|template) or JSON lines; - = stdin.", metavar="FILE"
        ),
    ] = None,
    filter_: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            help="tag=, author=, status=, source= (with --template).",
            metavar="KEY=VALUE",
        ),
    ] = None,
    template: TemplateOpt = None,
    var: Annotated[
        list[str] | None,
        typer.Option(
            "--var",
            help="A value for every row (a row's own value wins; repeatable).",
            metavar="KEY=VALUE",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be sent.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Send more than 5 replies without asking.")
    ] = False,
    allow_heated: Annotated[
        bool,
        typer.Option("--allow-heated", help="Send rows that take-a-breath flags (else invalid)."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Allow stale threads and a new text to a tweet answered."),
    ] = False,
    wait: Annotated[
        bool, typer.Option("--wait", help="On a 429, sleep until the reset (at most 15 min).")
    ] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Send many replies, each exactly once.

    Every row is checked before any is sent.

    Example: tweetdesk bulk-reply replies.csv --dry-run
    """
    from tweetdesk.desk import bulk
    from tweetdesk.output import bulk as shown

    run = bulk.bulk_reply(
        load_desk(db),
        source,
        filter_ or [],
        template,
        _vars(var),
        dry_run=dry_run,
        yes=yes,
        allow_heated=allow_heated,
        force=force,
        wait=wait,
    )
    shown.print_run(run.plan, run.outcomes, dry_run=run.dry_run, as_json=as_json)
    run.raise_for_outcome()
