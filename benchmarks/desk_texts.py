"""What the desks' people write, and what they are called: the awkward texts a real desk gets
(URLs, hashtags, emoji, other scripts, `&` `<` `>`, rich markup, shouting, other @handles, a long
text) and names with markup and emoji. Every one of them is in the check desk (fidelity.py)."""

OPENERS = (
    "hi, any update on order #{n}? it's been a week",
    "loving the new Guji beans, thanks! ☕ ({n})",
    "my delivery {n} arrived damaged :( the bag was torn open",
    "do you ship to Ireland? asking for order {n} #shipping",
    "WHERE IS MY ORDER {n}??? THIS IS THE THIRD TIME I ASK",
    "still waiting for my refund on order {n}, this is really disappointing",
    "what grind should I pick for an AeroPress & a V60? <asking for a friend> #brewing",
    "charged twice for my subscription this month?? order {n} https://example.com/receipt/{n}",
    "can I change the delivery address for order {n}? @royalmail says it's with you",
    "[/b] the website keeps logging me out when I try to pay [bold]help[/bold]",
    "wholesale enquiry: do you supply cafés in Leeds? ({n}) 🇬🇧",
    "¿envían a España? pedido {n} 🙏",
    "هل تشحنون إلى دبي؟ الطلب {n}",
    "注文{n}はいつ届きますか？",
    "long story short: ordered {n} on the 3rd, paid express, got a tracking link that 404s, "
    "emailed twice, no answer, the chat bot loops, and now the card shows a second charge. "
    "Please sort this out, I have been a customer for years & this is not like you.",
    "is the Holiday Blend back in stock yet? #restock #coffee",
)
NUDGES = (
    "hello?? anyone there",
    "still waiting on {n}!!!",
    "ANY UPDATE???",
    "it's been two days now… order {n}",
    "ok I sent you a DM as well",
)
FOLLOWUPS = (
    "thanks, that sorted it!",
    "great, cheers 🙌",
    "still not arrived though, order {n}",
    "hmm, that didn't work, any other ideas?",
    "perfect, thank you so much",
)
ANSWERS = (
    "Thanks for letting us know! We're on it, ref {n}.",
    "So sorry about that, a replacement goes out today ({n}).",
    "Glad you like it! Enjoy every cup ({n})",
    "Yes we do, shipping takes 3-5 days ({n}).",
    "Could you DM us your order number so we can check? ({n})",
)
POSTS = (
    "New lot: Ethiopia Guji, washed, notes of peach & jasmine https://example.com/guji",
    "Roasting Tuesday and Friday this week. Orders before noon ship the same day.",
    "Holiday Blend is back! Limited run: https://example.com/holiday",
)
BRAND = (
    "Just tried Acme Roasters, the Guji is lovely ({n})",
    "acme roasters >>> every chain on my street",
    "Does anyone know if Acme Roasters does decaf? ({n})",
    "Acme Roasters & a rainy Sunday. Perfect.",
)
HANDLES = ("Sam", "ZoeB", "KimJ", "JoON")  # mixed case, as real handles are
NAMES = ("Sam", "Zoë 🍵", "[bold]Kim[/bold]", "مريم", "Jo O'Neil", "李雷", "Ana-María", "Ed <3")
