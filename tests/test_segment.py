from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.segment import count_words, split_paragraphs, split_sentences, tokenize


def _surfaces(text, spans):
    return [text[s:e] for s, e in spans]


def test_paragraphs_blank_lines_and_line_endings():
    for nl in ("\n", "\r\n", "\r"):
        text = f"First para.{nl}still first.{nl}{nl}Second para.{nl}  {nl}Third."
        spans = split_paragraphs(text)
        assert _surfaces(text, spans) == [f"First para.{nl}still first.", "Second para.", "Third."]


def test_paragraphs_one_per_line_without_blank_lines():
    text = "Line one.\nLine two.\nLine three."
    assert _surfaces(text, split_paragraphs(text)) == ["Line one.", "Line two.", "Line three."]


def test_no_sentence_break_after_abbreviations():
    text = ("U.S. and Iraqi officials met. Gen. Smith arrived on Jan. 5 with Sen. Jones and "
            "Dr. Who. Mr. J. R. Doe left.")
    sents = _surfaces(text, split_sentences(text))
    assert sents == ["U.S. and Iraqi officials met.",
                     "Gen. Smith arrived on Jan. 5 with Sen. Jones and Dr. Who.",
                     "Mr. J. R. Doe left."]


def test_sentence_ending_inside_closing_quote():
    text = "“We will win,” she said. “It is certain.” Then she left."
    sents = _surfaces(text, split_sentences(text))
    assert sents == ["“We will win,” she said.", "“It is certain.”", "Then she left."]


def test_curly_and_straight_apostrophes_tokenise_alike():
    curly = "Iran’s army isn’t here."
    straight = "Iran's army isn't here."
    assert _surfaces(curly, tokenize(curly)) == [t.replace("'", "’") for t in
                                                 _surfaces(straight, tokenize(straight))]
    assert _surfaces(curly, tokenize(curly))[:2] == ["Iran", "’s"]


def test_tokens_keep_abbreviations_and_count_words():
    text = "The U.S.-Iranian talks, in 2014."
    toks = _surfaces(text, tokenize(text))
    assert "U.S." in toks and "Iranian" in toks
    assert count_words(text) == 6  # "U.S." is one word


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_offsets_round_trip_for_any_text(text):
    paras = split_paragraphs(text)
    last = 0
    for s, e in paras:
        assert last <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
        last = e
        prev = s
        for a, b in split_sentences(text, s, e):
            assert prev <= a < b <= e
            prev = b
        for a, b in tokenize(text, s, e):
            assert s <= a < b <= e
