"""The screen's modal boxes: a yes/no question, a line to type (snooze time, filter), the
compose box with X's weighted length as you type, a template picker, and the keys (`?`).

Each shows text as Content (never markup) and answers through `dismiss`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tweetdesk.output.safe import clean_terminal, one_line

BOX_CSS = """
{name} {{
    align: center middle;
    & > Vertical {{
        width: 80%;
        max-width: 100;
        height: auto;
        border: thick $primary;
        background: $panel;
        padding: 1 2;
    }}
    & .title {{ text-style: bold; }}
    & .hint {{ color: $text-muted; }}
    & .over {{ color: $error; text-style: bold; }}
}}
"""


class Confirm(ModalScreen[bool]):
    """A yes/no question: y answers yes; n or escape answer no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = BOX_CSS.format(name="Confirm")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(clean_terminal(self.question)), classes="title", id="question")
            yield Static(Content("y: yes    n or escape: no"), classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Prompt(ModalScreen[str | None]):
    """One line to type: enter gives it, escape gives None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = BOX_CSS.format(name="Prompt")

    def __init__(self, title: str, hint: str, value: str = "") -> None:
        super().__init__()
        self.title_text, self.hint, self.value = title, hint, value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="title")
            yield Input(value=self.value, id="answer")
            yield Static(Content(self.hint), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Compose(ModalScreen[str | None]):
    """The text of a reply or DM, with the customer's tweet above it and the length below."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = BOX_CSS.format(name="Compose")

    def __init__(self, title: str, quoted: str, text: str, *, limit: int, weighted: bool) -> None:
        super().__init__()
        self.title_text, self.quoted, self.text = title, quoted, text
        self.limit, self.weighted = limit, weighted

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(one_line(self.title_text)), classes="title")
            yield Static(Content(clean_terminal(self.quoted)), classes="hint", id="quoted")
            yield Input(value=self.text, id="text")
            yield Static(Content(""), id="length")
            yield Static(Content("enter: send    escape: cancel"), classes="hint")

    def on_mount(self) -> None:
        self._count(self.text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._count(event.value)

    def _count(self, text: str) -> None:
        length = self.length(text)
        label = self.query_one("#length", Static)
        counted = " (as X counts)" if self.weighted else ""
        label.update(Content(f"{length}/{self.limit}{counted}"))
        label.set_class(length > self.limit, "over")

    def length(self, text: str) -> int:
        if not self.weighted:
            return len(text)
        from tweetdesk.values.xtext import weighted_length

        return weighted_length(text) if text else 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Pick(ModalScreen[str | None]):
    """Choose one of a few names (the templates); escape keeps the current choice."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = BOX_CSS.format(name="Pick")
    NONE = "(no template)"

    def __init__(self, title: str, names: Sequence[str]) -> None:
        super().__init__()
        self.title_text, self.names = title, list(names)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), classes="title")
            named = [Option(Content(n), id=n) for n in self.names]
            options = [Option(Content(self.NONE), id=""), *named]
            yield OptionList(*options, markup=False, id="names")
            yield Static(Content("enter: choose    escape: keep"), classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)


class Help(ModalScreen[None]):
    """Every key of the screen; any key closes it."""

    DEFAULT_CSS = BOX_CSS.format(name="Help")

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        lines = [Content.styled("tweetdesk triage: the keys", "bold"), Content("")]
        lines += [Content.assemble((f"{k:>10}", "bold"), "  ", what) for k, what in self.keys]
        lines += [Content(""), Content.styled("Press any key to close.", "dim")]
        with Vertical():
            yield Static(Content("\n").join(lines))

    def on_key(self) -> None:
        self.dismiss(None)
