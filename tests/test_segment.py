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


_PUNKT_CASES = [
    "He left. She stayed.", "Gen. Smith arrived. J. R. Doe left.", "It rose 3. percent. Then",
    "Sen. Jones, Jr. and the U.S. team met. “We won.” Then “A.” B.", "Wait... what? Yes! no.",
    "A. b. 1. c. e.g. this. x-ray. Y-Mr. Z", "(Sent1.) Sent2. [A.] B. «C.» D.", "a.\nB. c.\n\nD.",
    "He said. \x1cNext one. A\x1d. B", "Émile a. Über. ǅx. 2. 3. ٣. x", "End.' Then.\" Now.) Ok.’ Fine.”",
    "Tab.\tNext. Nbsp.\u00a0Next. Em.\u2003Next. Line.\u2028Next.", "Emoji. 😀 Then. Go",
    "É. Jones and É. x and É. 4 and ß. ; 1. a 2. B", "He is Ö. Smith. Then 3. but 4. The",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    ["He", "he", "Mr", "U.S", "J", "3", "e.g", "x-y", "É", " ", "  ", "\n", "\t", "\x1c",
     "\u00a0", ".", "?", "!", "...", ",", ";", "“", "”", "’", "'", '"', ")", "--", "😀"]),
    max_size=25).map("".join))
def test_specialised_punkt_spans_equal_nltk(text):
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from analysis.segment import sentence_splitter

    ours = sentence_splitter(())
    params = PunktParameters()  # NLTK's own parameters object: it writes into it
    params.abbrev_types = set(ours._params.abbrev_types)
    plain = PunktSentenceTokenizer(params)
    for case in [text, *_PUNKT_CASES]:
        assert list(ours.span_tokenize(case)) == list(plain.span_tokenize(case))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ1_.’'- \u0301é٣", max_size=30))
def test_word_count_is_the_number_of_words(text):
    import re

    words = re.findall(r"(?:[A-Za-z]\.){2,}|\w+(?:[’'\-]\w+)*", text)
    assert count_words(text) == len(words)
