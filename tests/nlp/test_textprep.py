from nlp.textprep import block_at, compose_text, letter_share, sanitize, split_blocks


def test_compose_text_puts_title_first_with_blank_line() -> None:
    assert compose_text("Headline", "Body.") == "Headline\n\nBody."
    assert compose_text(None, "Body.") == "Body."
    assert compose_text("   ", "Body.") == "Body."


def test_blocks_are_headline_captions_and_paragraphs_with_exact_offsets() -> None:
    text = compose_text(
        "Lab sues rival",
        "First paragraph.\n\nPhoto: Jane Roe/Reuters\nSecond paragraph here.\n",
    )
    blocks = split_blocks(text, has_title=True)
    assert [b.kind for b in blocks] == ["headline", "paragraph", "caption", "paragraph"]
    assert [text[b.start : b.end] for b in blocks] == [
        "Lab sues rival",
        "First paragraph.",
        "Photo: Jane Roe/Reuters",
        "Second paragraph here.",
    ]
    assert block_at(blocks, text.index("Second")) == 3


def test_sanitize_keeps_offsets_and_reports_changes() -> None:
    text, warnings = sanitize("a\x00b\x1fc")
    assert text == "a b c"
    assert any("control" in w for w in warnings)
    assert sanitize("clean")[1] == []


def test_letter_share_flags_binary() -> None:
    assert letter_share("Plain words here.") > 0.9
    assert letter_share(bytes(range(256)).decode("latin-1")) < 0.5
    assert letter_share("   ") == 0.0


def test_bylines_are_their_own_blocks() -> None:
    text = compose_text(
        "Headline", "By Jane Roe, Technology Editor\nBy contrast, the rest is text."
    )
    assert [b.kind for b in split_blocks(text, has_title=True)] == [
        "headline",
        "byline",
        "paragraph",
    ]
