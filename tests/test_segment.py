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


# --------------------------------------------------------------- fast paths and their twins

_WORD_SOURCE = r"(?:[A-Za-z]\.){2,}|\w+(?:[’'\-]\w+)*"  # the definition of a word


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(
    ["a", "Z", "U", "x", "1", "_", ".", "-", "'", "’", " ", "  ", "\n", "\t", "\xa0", "é",
     "٣", "\u0301", "İ", "ſ", "“", "”", "—", "…", "😀", "U.S.", "a.b.", "it's", "x-y", "$",
     ",", "a.", ".a"]), max_size=40).map("".join))
def test_word_count_by_classes_equals_the_regex(text):
    import re

    assert count_words(text) == len(re.findall(_WORD_SOURCE, text))
    # offsets and concatenation: parts joined by a space count as their sum
    half = len(text) // 2
    assert count_words(text, 1, half) == len(re.findall(_WORD_SOURCE, text[1:half]))
    pattern = re.compile(_WORD_SOURCE)
    for start, end in ((-3, None), (2, -1), (half, 1), (0, len(text) + 5)):
        assert count_words(text, start, end) == len(
            pattern.findall(text, start, len(text) if end is None else end))
    assert count_words(text[:half] + " " + text[half:]) == (
        count_words(text[:half]) + count_words(text[half:]))


def test_word_count_initials_and_connectors():
    cases = ["U.S. and U.K.", "U.S.-Iranian", "x-a.b.c. d", "a.b.c-d", "A.B.C", "a-b-c-d",
             "ab.c.d. e", "1.5", "it’s the U.N.’s", "e.g. i.e. etc.", "a.-b", "--a--b--",
             "Émile Zola’s", "a.a.a.a.a.a. b", "x'a.b.c. y.z."]
    import re

    for text in cases:
        assert count_words(text) == len(re.findall(_WORD_SOURCE, text)), text


def test_word_characters_are_alphanumerics_and_underscore():
    # count_words maps characters beyond ASCII by str.isalnum(): re's \w must agree
    import re

    chars = "".join(map(chr, range(0x110000)))
    assert set(re.findall(r"\w", chars)) == {c for c in chars if c.isalnum() or c == "_"}


def _reference_paragraphs(text):
    """split_paragraphs as it was written first (one expression for every line ending)."""
    from analysis.segment import _BLANK_LINE, _LINE

    if not text.strip():
        return []
    if _BLANK_LINE.search(text):
        pieces, pos = [], 0
        for m in _BLANK_LINE.finditer(text):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(text)))
    else:
        pieces = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    spans = []
    for start, end in pieces:
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(chunk.strip())))
    return spans


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab. \n\r\t\xa0\f\v\u2028", max_size=30))
def test_paragraphs_with_and_without_carriage_returns_as_reference(text):
    # without "\r" a blank line is found by a faster expression: same pieces
    assert split_paragraphs(text) == _reference_paragraphs(text)


_PUNKT_PIECES = ["He", "he", "Mr", "U.S", "D-Ky", "J", "3", "e.g", "x-y", "É", "Jr", "etc",
                 " ", "  ", "\n", "\t", "\x1c", "\u00a0", "\u2028", ".", "?", "!", "...", ",",
                 ";", ":", "“", "”", "‘", "’", "'", '"', "(", ")", "[", "]", "--", "*", "&",
                 "«", "»", "😀", "said", "Smith"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PUNKT_PIECES), max_size=30).map("".join))
def test_one_pass_punkt_equals_nltk_with_and_without_its_shortcuts(text):
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from analysis.segment import _AbbreviationPunkt, sentence_splitter

    ours = sentence_splitter(())
    assert ours._twin is not None and ours._twin._one_pass_ok
    params = PunktParameters()
    params.abbrev_types = set(ours._params.abbrev_types)
    plain = PunktSentenceTokenizer(params)
    expected = list(plain.span_tokenize(text))
    # the re twin in one pass, or with "\x1c" (say) NLTK's engine and code
    assert ours.spans(text) == expected
    if not ours._twin_unsafe.search(text):
        assert ours._twin._one_pass_spans(text) == expected
    assert list(ours.span_tokenize(text, realign_boundaries=False)) == list(
        plain.span_tokenize(text, realign_boundaries=False))
    # parameters beyond abbreviations: NLTK's own code (no shortcut) decides
    rich = PunktParameters()
    rich.abbrev_types = set(params.abbrev_types)
    rich.sent_starters = {"he"}
    assert _AbbreviationPunkt(rich).spans(text) == list(
        PunktSentenceTokenizer(rich).span_tokenize(text))


def test_split_sentences_long_paragraph_uses_windows():
    from analysis.segment import PUNKT_WINDOW

    text = ("He said it was fine. " * (PUNKT_WINDOW // 10)).strip()
    spans = split_sentences(text)
    assert len(spans) == PUNKT_WINDOW // 10
    assert all(text[a:b] == "He said it was fine." for a, b in spans)


_SHORTCUT_PIECES = ["Mr", "Trump", "J", "Feb", "U.S", "2014", "27", "x1", "ab", "AB", "he", "the",
                    "said", "Gómez", "it's", " ", "  ", "\n", "\u00a0", ".", ".", ".", "?", "!",
                    "...", ",", ";", ":", "“", "”", "’", "'", '"', ")", "(", "--", "\x1c", "😀"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_SHORTCUT_PIECES), max_size=30).map("".join))
def test_one_pass_shortcuts_equal_nltk_and_the_plain_path(text):
    # _one_pass_spans decides most candidates without tokenising (ASCII words before a
    # period, abbreviations, numbers), looks for periods alone in a text without "?" and
    # "!", and makes the cuts final in the same loop; split_sentences takes its spans as
    # they are (no stripping) when the paragraph does not start with whitespace
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from analysis.segment import _stripped, sentence_splitter

    ours = sentence_splitter(())
    params = PunktParameters()
    params.abbrev_types = set(ours._params.abbrev_types)
    plain = PunktSentenceTokenizer(params)
    assert ours.spans(text) == list(plain.span_tokenize(text))
    twin = ours._twin
    if "?" not in text and "!" not in text:
        full = twin._lang_vars.period_context_re()
        assert [m.regs for m in twin._period_only.finditer(text)] == [
            m.regs for m in full.finditer(text)]
    for offset in (0, 7):
        fast = ours._one_pass_or_none(text, offset)
        if fast is not None:
            assert fast == _stripped(text, ours.spans(text), offset)
        if text and not text[0].isspace() and not ours._twin_unsafe.search(text):
            assert fast is not None
    # offsets into a longer text
    assert split_sentences("Ab. " + text + " Cd.", 4, 4 + len(text)) == [
        (a + 4, b + 4) for a, b in split_sentences(text)]
