import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tweetdesk.compose.templates import (
    MissingValues,
    clean_customer_value,
    customer_values,
    fill,
    placeholders,
)
from tweetdesk.errors import UsageError

DM_INVITE = "Hi {{name|there}}, we've sent you a DM so we can sort this out privately."


@pytest.mark.parametrize(
    ("template", "names"),
    [
        (DM_INVITE, ["name"]),
        ("no placeholders at all", []),
        ("{{a}} {{ b }} {{a|x}} {{c|}}", ["a", "b", "c"]),
        ("{{ first_name | friend }}, order {{order}}", ["first_name", "order"]),
        ("{{_x1}}", ["_x1"]),
        ("single {braces} are text", []),
    ],
)
def test_placeholders(template: str, names: list[str]) -> None:
    assert placeholders(template) == names


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        (
            DM_INVITE,
            {"name": "Ann"},
            "Hi Ann, we've sent you a DM so we can sort this out privately.",
        ),
        (DM_INVITE, {}, "Hi there, we've sent you a DM so we can sort this out privately."),
        (
            DM_INVITE,
            {"name": None},
            "Hi there, we've sent you a DM so we can sort this out privately.",
        ),
        (
            DM_INVITE,
            {"name": "  "},
            "Hi there, we've sent you a DM so we can sort this out privately.",
        ),
        ("Hi{{ first_name |}}!", {}, "Hi!"),
        ("Hi {{ first_name | there }}!", {"first_name": " Bob "}, "Hi Bob!"),
        ("{{a}}{{a}}", {"a": "x"}, "xx"),
        ("{{a|b|c}}", {}, "b|c"),
        (
            "Order {{order}} ships {{when|soon}}",
            {"order": "#123", "when": "today"},
            "Order #123 ships today",
        ),
        # Operator values are used as given; a value is never re-read as a template.
        ("{{a}}", {"a": "{{b}} @someone https://x.example"}, "{{b}} @someone https://x.example"),
        ("[b]{{a}}[/b]", {"a": "x"}, "[b]x[/b]"),
    ],
)
def test_fill(template: str, values: dict[str, str | None], expected: str) -> None:
    assert fill(template, values) == expected


@pytest.mark.parametrize(
    ("template", "values", "message"),
    [
        (
            "Order {{order}} is on its way",
            {},
            "template needs a value for {{order}}: pass --var order=...",
        ),
        (
            "{{order}}",
            {"order": None},
            "template needs a value for {{order}}: pass --var order=...",
        ),
        (
            "{{order}}",
            {"order": " \n"},
            "template needs a value for {{order}}: pass --var order=...",
        ),
        (
            "{{a}} {{b}} {{a}} {{c|ok}}",
            {},
            "template needs values for {{a}} and {{b}}: pass --var a=... --var b=...",
        ),
        (
            "{{x}} {{y}} {{z}}",
            {},
            "template needs values for {{x}}, {{y}} and {{z}}: "
            "pass --var x=... --var y=... --var z=...",
        ),
    ],
)
def test_render_names_every_unfilled_placeholder(
    template: str, values: dict[str, str | None], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        fill(template, values)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "Hi {{name",
            "template has an unclosed placeholder '{{name': write {{name}} or {{name|fallback}}",
        ),
        ("Hi {{name}} and {{", "template has an unclosed placeholder '{{'"),
        (
            "Hi {{}}",
            "template has an empty placeholder '{{}}': write {{name}} or {{name|fallback}}",
        ),
        ("Hi {{ |x}}", "template has an empty placeholder '{{ |x}}'"),
        (
            "{{ bad-name! }}",
            "template has a bad placeholder '{{ bad-name! }}': names use letters, digits and _",
        ),
        ("{{1st}}", "template has a bad placeholder '{{1st}}'"),
        ("{{first name}}", "template has a bad placeholder '{{first name}}'"),
        ("{{{name}}", "template has a bad placeholder '{{{name}}'"),
        (
            "Hi name}}",
            "template has '}}' without a matching '{{': write {{name}} or {{name|fallback}}",
        ),
        ("{{na\nme}}", "template has a bad placeholder '{{na\\nme}}'"),
        (
            "Hi {{name\n\nThanks, {{order}}",
            "template has an unclosed placeholder '{{name\\n\\nThanks, {{or…'",
        ),
    ],
)
def test_malformed_templates_raise_usage_error(template: str, message: str) -> None:
    for call in (lambda: placeholders(template), lambda: fill(template, {"name": "x"})):
        with pytest.raises(UsageError) as caught:
            call()
        assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("username", "name", "expected"),
    [
        (
            "acme_fan",
            "Ann Smith",
            {"name": "Ann Smith", "first_name": "Ann", "username": "acme_fan"},
        ),
        ("@Bob_1", "Bob @evilcorp", {"name": "Bob", "first_name": "Bob", "username": "Bob_1"}),
        ("bob", "Bob ＠evilcorp", {"name": "Bob", "first_name": "Bob", "username": "bob"}),
        (
            "bob",
            "Shop at evil.com today",
            {"name": "Shop at today", "first_name": "Shop", "username": "bob"},
        ),
        (
            "bob",
            "Bob https://evil.example/x",
            {"name": "Bob", "first_name": "Bob", "username": "bob"},
        ),
        ("bob", "evil．com Bob", {"name": "Bob", "first_name": "Bob", "username": "bob"}),
        ("bob", "Bob #scam $TSLA", {"name": "Bob", "first_name": "Bob", "username": "bob"}),
        (
            "bob",
            "Bob\u202eevil\u202c\nSmith\x1b[31m",
            {"name": "Bobevil Smith[31m", "first_name": "Bobevil", "username": "bob"},
        ),
        (
            "bob",
            "🚀 Bob, the builder",
            {"name": "🚀 Bob, the builder", "first_name": "Bob", "username": "bob"},
        ),
        ("bob", "J.R. Smith", {"name": "J.R. Smith", "first_name": "J.R", "username": "bob"}),
        ("bob", "𝐁𝐨𝐛 Fancy", {"name": "Bob Fancy", "first_name": "Bob", "username": "bob"}),
        ("bob", "José Núñez", {"name": "José Núñez", "first_name": "José", "username": "bob"}),
        ("bob", "@evilcorp", {"name": "", "first_name": "", "username": "bob"}),
        ("bob", None, {"name": "", "first_name": "", "username": "bob"}),
        ("bob", "  ", {"name": "", "first_name": "", "username": "bob"}),
        ("bob", "{{order}} Bob", {"name": "Bob", "first_name": "Bob", "username": "bob"}),
        ("bo b\n@x", "Bob", {"name": "Bob", "first_name": "Bob", "username": "bobx"}),
    ],
)
def test_customer_values(username: str, name: str | None, expected: dict[str, str]) -> None:
    assert customer_values(username, name) == expected


def test_customer_name_that_cleans_to_nothing_uses_the_fallback() -> None:
    values = customer_values("troll", "@evilcorp evil.com #scam")
    assert fill(DM_INVITE, values).startswith("Hi there,")
    assert fill("Hi{{first_name|}}!", values) == "Hi!"


def test_customer_values_cannot_inject_a_mention_through_a_template() -> None:
    values = customer_values("bob", "Bob @evilcorp www.evil.com")
    assert fill("Hi {{name}}, thanks!", values) == "Hi Bob, thanks!"


@given(
    st.text(alphabet=st.characters(codec=None, exclude_categories=()))
    | st.text("@＠﹫:/.evilcom \n\u202e#")
)
def test_customer_values_are_always_safe(text: str) -> None:
    for value in (clean_customer_value(text), *customer_values(text, text).values()):
        assert "@" not in value
        assert "://" not in value
        assert "\n" not in value
        assert not any(unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") for char in value)
        assert not any(
            char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
            for char in value
        )
        assert value == value.strip()


NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)
TEXT = st.text(alphabet=st.characters(exclude_characters="{}"), max_size=20)


@st.composite
def filled_template(draw: st.DrawFn) -> tuple[str, dict[str, str | None]]:
    parts: list[str] = []
    values: dict[str, str | None] = {}
    for name in draw(st.lists(NAMES, max_size=5, unique=True)):
        fallback = draw(st.none() | TEXT.filter(lambda t: "|" not in t))
        parts.append(draw(TEXT))
        parts.append(f"{{{{ {name} }}}}" if fallback is None else f"{{{{{name}|{fallback}}}}}")
        values[name] = draw(TEXT.filter(str.strip)) if fallback is None else draw(st.none() | TEXT)
    parts.append(draw(TEXT))
    return "".join(parts), values


@given(filled_template())
def test_render_leaves_no_braces_when_all_filled(case: tuple[str, dict[str, str | None]]) -> None:
    template, values = case
    assert "{{" not in fill(template, values)


def test_missing_values_name_the_placeholders_and_the_text() -> None:
    with pytest.raises(MissingValues) as caught:
        fill("Hi {{first_name}}, order {{order}} {{when|soon}}", {}, what="text")
    assert caught.value.names == ["first_name", "order"]
    assert str(caught.value) == (
        "text needs values for {{first_name}} and {{order}}: "
        "pass --var first_name=... --var order=..."
    )
    with pytest.raises(UsageError, match=r"^text has an unclosed placeholder"):
        fill("Hi {{first_name", {}, what="text")
