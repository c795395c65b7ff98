"""A subset of X's recent-search query language, parsed strictly.

Supported: bare words and "quoted phrases" (case-insensitive, matched on whole words, AND by
default), OR, -negation, parentheses, from:, to:, quotes_of_tweet_id:, @mention, #hashtag,
is:reply, is:retweet, is:quote, has:links; a long post is matched on its whole text. Anything
else is rejected with X's 400, so a client cannot rely on syntax the simulator would silently
misread.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tweetdesk.sandbox.text import tokens

MAX_QUERY_LENGTH = 512
_OPERATORS = {"from", "to", "is", "has", "quotes_of_tweet_id"}
_FLAGS = {"is:reply", "is:retweet", "is:quote", "has:links"}
_LEXEME = re.compile(r'\s+|\(|\)|-?"[^"]*"|-?[^\s()"]+|"')


class QueryError(ValueError):
    """A query X would refuse; the message mimics X's."""

    def __init__(self, problem: str, position: int) -> None:
        super().__init__(
            f"There were errors processing your request: {problem} (at position {position + 1})"
        )


@dataclass
class Facts:
    """What the query language can see of one tweet."""

    words: list[str]
    author: str
    replied_to_user: str
    mentions: set[str]
    hashtags: set[str]
    is_reply: bool
    is_quote: bool
    has_links: bool
    quoted: set[str]


Predicate = Callable[[Facts], bool]


@dataclass
class Node:
    test: Predicate
    positive: bool  # contains a clause that can stand alone (X requires one)


def _contains(words: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return size > 0 and any(words[i : i + size] == phrase for i in range(len(words) - size + 1))


class _Parser:
    def __init__(self, query: str) -> None:
        self.items = [(m.group(), m.start()) for m in _LEXEME.finditer(query)]
        self.items = [(text, at) for text, at in self.items if not text.isspace()]
        self.pos = 0

    def peek(self) -> str | None:
        return self.items[self.pos][0] if self.pos < len(self.items) else None

    def where(self) -> int:
        return self.items[min(self.pos, len(self.items) - 1)][1] if self.items else 0

    def parse(self) -> Node:
        node = self.either()
        if self.peek() is not None:
            raise QueryError(f"no viable alternative at input '{self.peek()}'", self.where())
        return node

    def either(self) -> Node:
        options = [self.all_of()]
        while self.peek() == "OR":
            self.pos += 1
            options.append(self.all_of())
        if len(options) == 1:
            return options[0]
        tests = [o.test for o in options]
        return Node(lambda f: any(t(f) for t in tests), all(o.positive for o in options))

    def all_of(self) -> Node:
        parts = []
        while self.peek() not in (None, ")", "OR"):
            parts.append(self.clause())
        if not parts:
            found = self.peek() or "<EOF>"
            raise QueryError(f"no viable alternative at input '{found}'", self.where())
        tests = [p.test for p in parts]
        return Node(lambda f: all(t(f) for t in tests), any(p.positive for p in parts))

    def clause(self) -> Node:
        text = self.peek() or ""
        if text == "(":
            self.pos += 1
            inner = self.either()
            if self.peek() != ")":
                raise QueryError("missing ')'", self.where())
            self.pos += 1
            return inner
        if text in (")", '"'):
            raise QueryError(f"extraneous input '{text}'", self.where())
        self.pos += 1
        if text == "-" and self.peek() == "(":
            group = self.clause()
            return Node(lambda f: not group.test(f), positive=False)
        if text.startswith("-") and len(text) > 1:
            inner = self.term(text[1:], self.items[self.pos - 1][1])
            return Node(lambda f: not inner.test(f), positive=False)
        return self.term(text, self.items[self.pos - 1][1])

    def term(self, text: str, at: int) -> Node:
        lowered = text.lower()
        if text.startswith('"'):
            phrase = tokens(text.strip('"'))
            return Node(lambda f: _contains(f.words, phrase), positive=bool(phrase))
        if lowered in _FLAGS:
            return Node(_flag(lowered), positive=False)
        operator, colon, value = lowered.partition(":")
        if colon and operator.replace("_", "").isalpha():
            if operator not in _OPERATORS or operator in ("is", "has") or not value:
                raise QueryError(f"Reference to invalid operator '{text}'", at)
            handle = value.lstrip("@")
            if operator == "quotes_of_tweet_id":
                if not value.isdigit():
                    raise QueryError(f"Invalid tweet id in '{text}'", at)
                return Node(lambda f: value in f.quoted, positive=True)
            if operator == "from":
                return Node(lambda f: f.author == handle, positive=True)
            return Node(lambda f: f.replied_to_user == handle, positive=True)
        if text.startswith("@") and len(text) > 1:
            name = lowered[1:]
            return Node(lambda f: name in f.mentions, positive=True)
        if text.startswith("#") and len(text) > 1:
            tag = lowered[1:]
            return Node(lambda f: tag in f.hashtags, positive=True)
        words = tokens(text)
        return Node(lambda f: _contains(f.words, words), positive=bool(words))


def _flag(name: str) -> Predicate:
    if name == "is:reply":
        return lambda f: f.is_reply
    if name == "is:quote":
        return lambda f: f.is_quote
    if name == "has:links":
        return lambda f: f.has_links
    return lambda f: False  # the simulator holds no retweets


def compile_query(query: str) -> Predicate:
    """A predicate over `Facts`; QueryError when X would answer 400."""
    if not query.strip():
        raise QueryError("empty query", 0)
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"query is longer than {MAX_QUERY_LENGTH} characters", MAX_QUERY_LENGTH)
    node = _Parser(query).parse()
    if not node.positive:
        raise QueryError("Rules must contain at least one positive, non-stand-alone clause", 0)
    return node.test


def facts(tweet: dict[str, Any], users: dict[str, dict[str, Any]]) -> Facts:
    note = tweet.get("note_tweet")
    entities = note.get("entities", {}) if note else tweet.get("entities", {})
    kinds = {ref["type"] for ref in tweet.get("referenced_tweets", [])}
    replied = users.get(tweet.get("in_reply_to_user_id", ""), {}).get("username", "")
    whole = note["text"] if note else tweet["text"]
    return Facts(
        words=tokens(html.unescape(whole)),
        author=users[tweet["author_id"]]["username"].lower(),
        replied_to_user=replied.lower(),
        mentions={m["username"].lower() for m in entities.get("mentions", [])},
        hashtags={h["tag"].lower() for h in entities.get("hashtags", [])},
        is_reply="replied_to" in kinds,
        is_quote="quoted" in kinds,
        has_links=bool(entities.get("urls")),
        quoted={r["id"] for r in tweet.get("referenced_tweets", []) if r["type"] == "quoted"},
    )
