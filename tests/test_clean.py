import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.clean import classify_paragraphs, load_patterns, mark_segments
from analysis.lexicons import LexiconError


def _kinds(text):
    return [(s["kind"], text[s["start"]:s["end"]].strip()) for s in mark_segments(text)]


def test_web_layout_with_signup_block_and_credits():
    text = (
        "World View\n\n"
        "Rebels Seize ‘Key’ Port in the North\n\n"
        "As fighting spreads, the rebels now control the harbour.\n\n"
        "Jane Doe/AFP\n\n"
        "The rebels took the port on Sunday, officials said.\n\n"
        "Sign up for our Morning Briefing newsletter\n\n"
        "The best stories, every morning.\n\n"
        "By signing up you agree to our Terms of Use and Privacy Policy\n\n"
        "You are now subscribed.\n\n"
        "The government said it would respond.\n\n"
        "Reporting by John Roe in Aden; editing by Sam Poe.\n"
    )
    kinds = _kinds(text)
    assert kinds[0] == ("kicker", "World View")
    assert kinds[1][0] == "headline"
    assert kinds[2][0] == "standfirst"
    assert kinds[3] == ("credit", "Jane Doe/AFP")
    assert kinds[4][0] == "body"
    assert [k for k, _ in kinds[5:9]] == ["boilerplate"] * 4
    assert kinds[9] == ("body", "The government said it would respond.")
    assert kinds[10][0] == "credit"


def test_segments_tile_the_text_exactly():
    text = "  Headline Here\n\nBody sentence one. Two.\r\n\r\nRead more here.\n\n\n"
    segs = mark_segments(text)
    assert segs[0]["start"] == 0 and segs[-1]["end"] == len(text)
    for a, b in zip(segs, segs[1:], strict=False):
        assert a["end"] == b["start"]
    assert segs[-1]["kind"] == "boilerplate"


def test_plain_article_is_body_and_share_lines_are_boilerplate():
    paras = ["The minister said the talks failed.", "Share this article",
             "Critics disagreed with the minister."]
    assert classify_paragraphs(paras, patterns=load_patterns()) == ["body", "boilerplate", "body"]


def test_signup_start_without_end_marks_only_short_titles():
    paras = ["Officials met on Monday to discuss the plan in detail.",
             "Get The Courier In Your Inbox!", "Morning Edition",
             "Officials said the plan would be ready by June, and critics objected to it."]
    kinds = classify_paragraphs(paras, patterns=load_patterns())
    assert kinds[1:3] == ["boilerplate", "boilerplate"] and kinds[3] == "body"


def test_seed_article_structure(seed_text):
    segs = mark_segments(seed_text)
    kinds = {seed_text[s["start"]:s["end"]].strip()[:25]: s["kind"] for s in segs}
    assert kinds["One Stop Shop"] == "kicker"
    assert kinds["Fars News/Reuters"] == "credit"
    assert kinds["Get The Beast In Your Inb"] == "boilerplate"
    assert kinds["By clicking “Subscribe,” "] == "boilerplate"
    assert kinds["—with additional reportin"] == "credit"
    assert sum(s["end"] - s["start"] for s in segs) == len(seed_text)


def test_user_pattern_file_extends_and_bad_regex_names_line(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text("version: 1\npatterns:\n  - {role: boilerplate, pattern: '^listen to this story$'}\n")
    pats = load_patterns((str(good),))
    assert pats.matches("boilerplate", "Listen to this story")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\npatterns:\n  - {role: boilerplate, pattern: 'ok'}\n"
                   "  - {role: boilerplate, pattern: '(unclosed'}\n")
    with pytest.raises(LexiconError, match=r"bad.yaml:4: .*not a valid regular expression"):
        load_patterns((str(bad),))


_USER_PATTERNS = [r"^ab", r"ab$", r"\Aab", r"ab\Z", r"(?<=x)ab$", r"\bab\b$", r"^a|b$",
                  r"ab\.?$", r"(?m)^ab", r"(?m)ab$", r"[^.]{0,5}b$", r"^(a)\1", r"(a)\1$",
                  r"a*b$", r"(?x) ^ a b", r"(?:^ab)", r"ſ$", r"^K", r"^$", r"x{0,3}$"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_USER_PATTERNS), min_size=1, max_size=4, unique=True),
       st.text(alphabet="abxAB .\n\u017f\u212ak", max_size=12))
def test_grouped_role_patterns_match_like_plain_search(sources, paragraph):
    import re

    from analysis.clean import _role_matcher

    pats = [re.compile(s, re.IGNORECASE) for s in sources]
    assert _role_matcher(pats)(paragraph) == any(p.search(paragraph) for p in pats)


# --------------------------------------------------------------- fast paths and their twins


def test_needed_words_of_patterns():
    import re

    from analysis.clean import _needed_words

    def needs(source):
        return _needed_words(re.compile(source, re.IGNORECASE))

    assert needs("you are now subscribed") == ("subscribed",)
    assert needs(r"by (clicking|signing up|subscribing)[^.]{0,80}(agree|terms|privacy)") == (
        "clicking", "signing", "subscribing")
    assert needs(r"all rights reserved\.?$") == ("reserved",)
    assert needs(r"(?:abc)?defg|xyz") is None  # nothing every match holds
    assert needs(r"a(?=more)") is None and needs(r"(?!never)x") is None  # lookarounds
    assert needs(r"(foo|)bar") is None and needs(r"héllo wörld") is None


def test_characters_that_fold_to_ascii():
    # a needed word is looked for in lower(): only these characters defeat that
    import re

    from analysis.clean import _FOLDS_TO_ASCII

    chars = "".join(map(chr, range(0x80, 0x110000)))
    ascii_chars = "".join(map(chr, range(0x80)))
    assert set(re.findall(f"[{re.escape(ascii_chars)}]", chars, re.IGNORECASE)) == set(
        _FOLDS_TO_ASCII)


def test_flat_test_and_printable_whitespace():
    from analysis.clean import _flat_paragraphs

    chars = "".join(map(chr, range(0x110000)))
    assert [c for c in chars if c.isspace() and c.isprintable()] == [" "]
    for text in ["a b", " a", "a ", "a  b", "a\tb", "a\xa0b", "", "a\u2028b", "ab"]:
        assert list(_flat_paragraphs([text], text)) == [" ".join(text.split())]
        assert list(_flat_paragraphs([text, "x"], text + " x")) == [" ".join(text.split()), "x"]


_NEEDY_PATTERNS = [r"you are now subscribed", r"by (clicking|signing up)[^.]{0,20}(agree|terms)",
                   r"all rights reserved\.?$", r"contributed (reporting )?to this story\.?$",
                   r"(?<=x)serve", r"s\w+ved$", r"(red|blue) sky", r"\bkit\b"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NEEDY_PATTERNS), min_size=1, max_size=4, unique=True),
       st.lists(st.lists(st.sampled_from(
           ["you", "are", "now", "subscribed", "SUBSCRIBED", "ſubscribed", "by", "clicking",
            "signing", "up", "agree", "all", "rights", "reserved", "contributed", "to", "this",
            "story", "red", "blue", "sky", "Kit", "\u212ait", "x", " ", "  ", "\n", "\xa0",
            ".", "İ"]), max_size=8).map("".join), max_size=4))
def test_article_tests_match_like_every_pattern_searched(sources, paragraphs):
    # patterns left out of an article (their needed words absent) could not have matched
    import re

    from analysis.clean import BoilerplatePatterns, _article_tests, _role_matcher

    pats = tuple(re.compile(s, re.IGNORECASE) for s in sources)
    patterns = BoilerplatePatterns({"boilerplate": pats}, 10,
                                   {"boilerplate": _role_matcher(list(pats))})
    test = _article_tests(patterns, " ".join(paragraphs))["boilerplate"]
    for para in paragraphs:
        flat = " ".join(para.split())
        assert bool(test(flat)) == any(p.search(flat) for p in pats)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["Share this article", "Reporting by Jane Roe; editing by Sam Poe.", "Jane Doe/AFP",
     "By John Smith", "The minister said the talks failed.", "Get The Courier In Your Inbox!",
     "Sign up for our daily newsletter", "By signing up you agree to our Terms",
     "You are now\u00a0subscribed.", "Copyright 2016 Reuters. All rights reserved.",
     "Morning Edition", "Headline  With\tSpaces", "Officials met on Monday.",
     "AP contributed reporting to this story."]), max_size=12))
def test_classify_equals_plain_search_of_every_pattern(paragraphs):
    from analysis.clean import BoilerplatePatterns

    shipped = load_patterns()
    plain = BoilerplatePatterns(shipped.by_role, shipped.max_block)  # no grouping, no needs
    assert classify_paragraphs(paragraphs, patterns=shipped) == classify_paragraphs(
        paragraphs, patterns=plain)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="ab \n\t\xa0\u2028.\x1c", max_size=8), max_size=5))
def test_flat_paragraphs_as_split_and_join(paragraphs):
    # the whole text is tested once (printable, double spaces); each paragraph only if needed
    from analysis.clean import _flat_paragraphs

    assert list(_flat_paragraphs(paragraphs, " ".join(paragraphs))) == [
        " ".join(p.split()) for p in paragraphs]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["Share this article", " Share  this\tarticle ", "Jane Doe/AFP", "Reuters", "By John Smith",
     "By  John\nSmith", "— With additional reporting by Ann Lee", "Photo: AP",
     "The minister said the talks failed.", "Sign up for our daily newsletter", "Thank you!",
     "Get The Courier In Your Inbox!", "Morning Edition", "Officials met on Monday.",
     "Copyright 2016", "Follow us on Twitter", "Read more here."]), max_size=10))
def test_screened_paragraphs_classify_as_every_test(paragraphs):
    # one expression for the start-anchored tests of three roles picks the paragraphs to
    # test (photo credits: the first six): the same kinds as testing every paragraph
    from analysis.clean import BoilerplatePatterns

    shipped = load_patterns()
    assert shipped.screen is not None
    unscreened = BoilerplatePatterns(shipped.by_role, shipped.max_block, shipped.matchers)
    object.__setattr__(unscreened, "screen", None)
    assert classify_paragraphs(paragraphs, patterns=shipped) == classify_paragraphs(
        paragraphs, patterns=unscreened)
