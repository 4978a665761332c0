"""Tests for analysis.actors (gazetteer, mentions, lookup, candidates)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.actors import (
    candidate_actors,
    find_mentions,
    load_gazetteer,
    mentions_frame,
)
from analysis.lexicons import LexiconError

ARTICLE = Path(__file__).resolve().parents[1] / "data/raw/iran-offers-iraq-everything-it-needs.txt"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def one_sentence(text: str, voice: str = "narrator") -> list[dict]:
    return [{"sent_id": 0, "paragraph": 0, "start": 0, "end": len(text), "text": text,
             "kind": "body", "voice": voice}]


def mentions(text: str, gaz) -> list[tuple[str, str]]:
    found = find_mentions(text, one_sentence(text), gazetteer=gaz)
    for m in found:
        assert text[m["start"]:m["end"]] == m["text"]
    return [(m["actor"], m["text"]) for m in found]


def test_aliases_and_demonyms(gaz):
    text = "The UN and NATO met. Russian diplomats and the Kremlin disagreed with Americans."
    assert mentions(text, gaz) == [
        ("United Nations", "UN"), ("NATO", "NATO"), ("Russia", "Russian"),
        ("Russia", "Kremlin"), ("United States", "Americans"),
    ]


def test_record_fields(gaz):
    text = "Hezbollah fighters crossed into Syria."
    rec = find_mentions(text, one_sentence(text), gazetteer=gaz)[0]
    assert rec == {"actor": "Hezbollah", "start": 0, "end": 9, "text": "Hezbollah",
                   "sent_id": 0, "voice": "narrator", "type": "armed group", "via": "alias"}


def test_us_is_case_sensitive(gaz):
    assert mentions("Let us talk about US policy.", gaz) == [("United States", "US")]
    assert mentions("Join us, they said to us.", gaz) == []
    assert mentions("Turkey talks. We ate turkey.", gaz) == [("Turkey", "Turkey")]


def test_all_caps_and_capitalised_lowercase_words(gaz):
    assert mentions("IRAN SAYS NO", gaz) == [("Iran", "IRAN")]
    found = mentions("ISIS retreated. Jihadist group fighters fled.", gaz)
    assert found == [("ISIS", "ISIS"), ("ISIS", "Jihadist group")]


@pytest.mark.parametrize("text,surface", [
    ("Iran’s army", "Iran"), ("Iran's army", "Iran"), ("Iraqis’ fears", "Iraqis"),
    ("Iraqis' fears", "Iraqis"), ("the U.S.’s allies", "U.S."), ("Maliki’s government", "Maliki"),
])
def test_possessives_are_outside_the_span(gaz, text, surface):
    found = mentions(text, gaz)
    assert [s for _, s in found] == [surface]


def test_hyphenated_compounds_give_two_mentions(gaz):
    assert mentions("explore U.S.-Iranian cooperation", gaz) == [
        ("United States", "U.S."), ("Iran", "Iranian")]
    assert mentions("the U.S.-Iraq strategic relationship", gaz) == [
        ("United States", "U.S."), ("Iraq", "Iraq")]
    # inside a name, hyphen and space are the same
    assert mentions("al-Qaeda and al Qaeda and Al-Qaida", gaz) == [("al-Qaeda", "al-Qaeda"),
        ("al-Qaeda", "al Qaeda"), ("al-Qaeda", "Al-Qaida")]


def test_longest_match_wins(gaz):
    text = "the Islamic State of Iraq and the Sham (ISIS) and the Iraqi government"
    assert mentions(text, gaz) == [
        ("ISIS", "Islamic State of Iraq and the Sham"), ("ISIS", "ISIS"), ("Iraq", "Iraqi")]
    assert mentions("Syrian Democratic Forces and the Syrian army", gaz) == [
        ("Syrian Democratic Forces", "Syrian Democratic Forces"), ("Syria", "Syrian")]


def test_exclude_phrases_block_matches(gaz):
    text = "The Washington Post quoted the American Enterprise Institute on New Mexico."
    assert mentions(text, gaz) == []


def test_persons_and_state_organs(gaz):
    text = ("Barack Obama spoke. Obama and Kerry, the Pentagon and the Obama administration "
            "and Gen. Qassem Soleimani of the Quds Force.")
    found = find_mentions(text, one_sentence(text), gazetteer=gaz)
    got = [(m["actor"], m["text"], m["via"]) for m in found]
    assert got == [
        ("United States", "Barack Obama", "person"), ("United States", "Obama", "person"),
        ("United States", "Kerry", "person"), ("United States", "Pentagon", "alias"),
        ("United States", "Obama administration", "alias"),
        ("Iran", "Qassem Soleimani", "person"), ("Iran", "Quds Force", "alias"),
    ]


def test_washington_place_vs_government(gaz):
    text = ("Washington warned Tehran. He flew to Washington and met a Washington-based "
            "analyst in Tehran.")
    assert mentions(text, gaz) == [("United States", "Washington"), ("Iran", "Tehran")]
    assert mentions("WASHINGTON — The White House said", gaz) == [
        ("United States", "White House")]
    found = find_mentions(text, one_sentence(text), gazetteer=gaz)
    assert {m["via"] for m in found} == {"metonym"}


def test_ambiguous_names_need_context(gaz):
    assert mentions("Georgia votes today.", gaz) == []
    assert mentions("Tbilisi protested. Georgia recalled its envoy.", gaz) == [
        ("Georgia", "Tbilisi"), ("Georgia", "Georgia")]
    # the nearest earlier unambiguous candidate decides
    text = "Boko Haram attacked. Later ISIS struck; the jihadist group fled."
    assert mentions(text, gaz)[-1] == ("ISIS", "jihadist group")
    text = "ISIS attacked. Later Boko Haram struck; the jihadist group fled."
    assert mentions(text, gaz)[-1] == ("Boko Haram", "jihadist group")


def test_only_inside_sentences_and_voice(gaz):
    text = "Iran spoke. BOILERPLATE Iraq. “Syria will win,” he said."
    sents = [
        {"sent_id": 0, "paragraph": 0, "start": 0, "end": 11, "text": text[0:11],
         "kind": "body", "voice": "narrator"},
        {"sent_id": 1, "paragraph": 1, "start": 30, "end": len(text), "text": text[30:],
         "kind": "body", "voice": "Speaker A"},
    ]
    found = find_mentions(text, sents, gazetteer=gaz)
    assert [(m["actor"], m["sent_id"], m["voice"]) for m in found] == [
        ("Iran", 0, "narrator"), ("Syria", 1, "Speaker A")]
    found = find_mentions(text, sents, gazetteer=gaz,
                          voice_at=lambda i: "quoted" if i >= 31 else "narrator")
    assert [m["voice"] for m in found] == ["narrator", "quoted"]


@pytest.mark.parametrize("phrase,actor", [
    ("Iraq’s", "Iraq"), ("Iraq's", "Iraq"), ("the Iranian government", "Iran"),
    ("Iraqi", "Iraq"), ("the Obama administration", "United States"),
    ("Iran's Foreign Ministry", "Iran"), ("Obama", "United States"),
    ("American Enterprise Institute", None), ("the Washington Post", None), ("Reuters", None),
    ("Georgia", None), ("", None),
])
def test_lookup_affiliation(gaz, phrase, actor):
    assert gaz.lookup(phrase) == actor


def test_user_file_extends_and_overrides(tmp_path, gaz):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "version: 1\nactors:\n"
        "  - {name: Quillfield Institute, type: organisation, aliases: [QI]}\n"
        "  - {name: United States, type: state, persons: [Zed Example]}\n"
        "  - {name: Iran Watchers, type: organisation, aliases: [Iran]}\n",
        encoding="utf-8",
    )
    mine = load_gazetteer([user])
    text = "QI said Zed Example met Iran. Iraq too."
    assert mentions(text, mine) == [
        ("Quillfield Institute", "QI"), ("United States", "Zed Example"),
        ("Iran Watchers", "Iran"), ("Iraq", "Iraq")]
    assert mine.type_of("Quillfield Institute") == "organisation"
    # replace: only the user's file
    only = load_gazetteer([user], replace=True)
    assert mentions(text, only) == [("Quillfield Institute", "QI"),
                                    ("United States", "Zed Example"), ("Iran Watchers", "Iran")]
    # the packaged gazetteer is unchanged and cached
    assert load_gazetteer() is gaz


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\nactors:\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("body,line,words", [
    ("  - {name: Foo, type: country}\n", 3, ["type 'country'", "Fix"]),
    ("  - {name: Foo, type: state, aliases: Fooland}\n", 3, ["aliases", "list of strings"]),
    ("  - {name: Foo, type: state}\n  - {name: Bar, type: state, aliases: [Foo]}\n", 4,
     ["'Foo'", "bad.yaml:3", "ambiguous"]),
    ("  - {name: Foo, type: state, aliases: [Foo & Bar]}\n", 3, ["' & '", "Fix"]),
    ("  - {name: Foo, type: state, colour: red}\n", 3, ["unknown field 'colour'"]),
])
def test_validation_errors_name_file_and_line(tmp_path, body, line, words):
    path = write(tmp_path, body)
    with pytest.raises(LexiconError) as err:
        load_gazetteer([path])
    message = str(err.value)
    assert f"bad.yaml:{line}" in message
    for word in words:
        assert word in message


def test_candidate_actors(gaz):
    text = ("Unfortunately the Quillfield Institute said on Monday that Jon Smallwood, "
            "an adviser to President Obama, met Iraqi Security Forces. The Quillfield Institute "
            "agreed. Secretary of State Mira Holt of the Daily Planet spoke in November.")
    found = candidate_actors(text, one_sentence(text), gazetteer=gaz, known=["Mira Holt"])
    names = {c["name"]: c["count"] for c in found}
    assert names == {"Quillfield Institute": 2, "Jon Smallwood": 1, "Daily Planet": 1}
    first = found[0]
    assert first["name"] == "Quillfield Institute"
    assert text[first["start"]:first["end"]] == "Quillfield Institute"
    assert candidate_actors(text, one_sentence(text), gazetteer=gaz, min_count=2)[0]["count"] == 2


def test_mentions_frame():
    df = mentions_frame("Iran and Iraq.\n\nThe U.N. met.")
    assert list(df.columns) == ["actor", "type", "via", "start", "end", "text", "sent_id", "voice"]
    assert df["actor"].tolist() == ["Iran", "Iraq", "United Nations"]
    assert df["sent_id"].tolist() == [0, 0, 1]


def test_bundled_article(gaz):
    text = ARTICLE.read_text(encoding="utf-8")
    found = find_mentions(text, one_sentence(text), gazetteer=gaz)
    actors = {m["actor"] for m in found}
    assert {"Iran", "Iraq", "ISIS", "United States", "Hezbollah", "Hamas", "al-Qaeda"} <= actors
    start = text.index("U.S.-Iranian")
    compound = [(m["actor"], m["text"]) for m in found if start <= m["start"] < start + 12]
    assert compound == [("United States", "U.S."), ("Iran", "Iranian")]
    by_text = {m["text"]: m["actor"] for m in found}
    assert by_text["Islamic State of Iraq and the Sham"] == "ISIS"
    assert by_text["Quds Force"] == "Iran"
    for m in found:
        assert text[m["start"]:m["end"]] == m["text"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("IranqUSus.'’- \nAmeric-ISWahgto")) | st.characters(),
               max_size=200))
def test_arbitrary_text_round_trips(text):
    gaz = load_gazetteer()
    found = find_mentions(text, one_sentence(text), gazetteer=gaz)
    for m in found:
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert text[m["start"]:m["end"]] == m["text"]
    for c in candidate_actors(text, one_sentence(text), gazetteer=gaz):
        assert " ".join(text[c["start"]:c["end"]].split()).replace("’", "'") == c["name"]
    gaz.lookup(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"aAsSé1 .'’_-\n“—٣", "\ud800"]), max_size=40), st.data())
def test_tokenize_simpler_regexes_give_the_same_tokens(text, data):
    # without apostrophes (or also without two dots, or with ASCII word characters only)
    # _tokenize uses simpler regexes; the offsets come from the lengths of the split pieces
    from analysis.actors import _TOKEN, _tokenize

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    toks = _tokenize(text, start, end)
    expected = [(m.start("tok"), m["tok"]) for m in _TOKEN.finditer(text, start, end)]
    assert list(zip(toks.starts, toks.words, strict=True)) == expected
    assert toks.normed == [w.replace("’", "'") for w in toks.words]
    # the text before each token, from the end of the one before (or from ``start``)
    ends = [start] + [s + len(w) for s, w in expected]  # (one more: zip stops at the tokens)
    assert toks.gaps == [text[e:s] for e, (s, _) in zip(ends, expected, strict=False)]


@pytest.mark.parametrize("text", [
    "Iran's army", "the Iraqis’ army", "Iran’s’x", "Iran's's'x", "Iran's's's", "U.S.'s allies",
    "U.S.’s allies", "the U.S.' allies", "end.'s", "1.b.'s", "AU.S.'s", "rock 'n' roll",
    "Shi'ite Iran’s'80s", "Iran's_x", "Iran’sx's", "’s’s’s’s’s x’s’s",
])
def test_tokenize_possessives_in_gaps_or_captured(text):
    # _tokenize mostly leaves a possessive in the gap after its token (two pieces per token);
    # where that reading would differ (_POSSESSIVE_TRAPS: "'s'", ".'s") it captures it: the
    # same tokens either way, and the same as the reference regex
    import re

    from analysis.actors import _POSSESSIVE_TRAPS, _SPLITS, _TOKEN_REFERENCE, _tokenize

    expected = [(m.start("tok"), m["tok"]) for m in re.finditer(_TOKEN_REFERENCE, text)]
    toks = _tokenize(text)
    assert list(zip(toks.starts, toks.words, strict=True)) == expected
    ends = [0] + [s + len(w) for s, w in expected]  # (one more: zip stops at the tokens)
    assert toks.gaps == [text[e:s] for e, (s, _) in zip(ends, expected, strict=False)]
    trapped = any(trap.search(text) for trap in _POSSESSIVE_TRAPS.values())
    spans = [(s, s + len(w)) for s, w in expected]
    if text in ("Iran’s’x", "Iran's's'x", "U.S.'s allies"):
        # the cases the traps are for: the two-piece reading is wrong there
        assert trapped and _split_spans(_SPLITS[1], text, 2) != spans
    elif not trapped:
        assert _split_spans(_SPLITS[1], text, 2) == spans


def _split_spans(pattern, text: str, step: int) -> list[tuple[int, int]]:
    """Token spans from the pieces of ``pattern.split(text)`` (token k is piece 1 + step*k)."""
    spans, pos = [], 0
    for i, piece in enumerate(pattern.split(text)):
        if i % step == 1:
            spans.append((pos, pos + len(piece)))
        pos += len(piece)
    return spans


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAsSé1 .'’_-\n2“—٣")), max_size=40))
def test_fast_token_regexes_match_the_reference(text):
    # _TOKEN and the split regexes are _TOKEN_REFERENCE rewritten for speed (lookbehinds
    # after the character they follow, possessive repeats, simpler forms for text without
    # apostrophes or dots, ASCII classes for text whose word characters are ASCII): the
    # same tokens
    import re

    from analysis.actors import (
        _POSSESSIVE_TRAPS,
        _SPLIT_STEPS,
        _SPLITS,
        _SPLITS_ASCII,
        _TOKEN,
        _TOKEN_REFERENCE,
    )

    reference = [(m.span(), m.span("tok")) for m in re.finditer(_TOKEN_REFERENCE, text)]
    assert [(m.span(), m.span("tok")) for m in _TOKEN.finditer(text)] == reference
    tokens = [tok for _, tok in reference]
    usable = [0]  # the split regexes that apply to the text
    if not any(trap.search(text) for trap in _POSSESSIVE_TRAPS.values()):
        usable.append(1)  # (possessives left in the gaps)
    if "'" not in text and "’" not in text:
        usable.append(2)
        if text.count(".") < 2:
            usable.append(3)
    ascii_words = not any(c.isalnum() for c in text if not c.isascii())
    for kind in usable:
        step = _SPLIT_STEPS[kind]
        assert _split_spans(_SPLITS[kind], text, step) == tokens
        if ascii_words:
            assert _split_spans(_SPLITS_ASCII[kind], text, step) == tokens


@pytest.mark.parametrize("caps,lower,heading", [
    (10, "", True),
    (9, " with", True),  # nine in ten words longer than three letters are capitalised
    (8, " with", False),  # eight in nine are not enough (the quick test decides)
    (8, " of to", True),  # short lower-case words do not count
    (3, "", True),
    (2, "", False),
])
def test_title_case_headings_are_skipped(gaz, caps, lower, heading):
    words = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golfer", "Hotel",
             "Indigo", "Juliet"][:caps]
    text = " ".join(words[:2]) + lower + " " + " ".join(words[2:]) + "."
    found = candidate_actors(text, one_sentence(text), gazetteer=gaz)
    assert (found == []) is heading


def test_spellings_follow_the_case_rules():
    from analysis.actors import _spellings

    assert _spellings("Iran") == {"Iran", "IRAN"}
    assert _spellings("US") == {"US"}  # an acronym keeps its spelling
    assert _spellings("al") == {"al", "Al", "AL"}
    assert _spellings("9") == {"9"}


def test_candidate_known_names_cut_longest_first(gaz):
    # the earliest, longest known name is cut out, whatever the order of ``known`` (it used to
    # depend on set iteration order, i.e. on PYTHONHASHSEED)
    text = "Voters in Concord cheered Jeb Bush and Jeb Bush thanked Mira Holt."
    for known in (["Bush", "Jeb Bush", "Mira Holt"], ["Mira Holt", "Jeb Bush", "Bush"]):
        names = {c["name"] for c in candidate_actors(text, one_sentence(text), gazetteer=gaz,
                                                     known=known)}
        assert "Jeb" not in names and "Mira Holt" not in names


def test_candidate_run_that_is_a_known_name(gaz):
    # a run that is exactly a known name is dropped at once (add's shortcut); cutting it out
    # (_known_in) would leave nothing either
    from analysis.actors import _Candidates, _tokenize

    text = "Jeb Bush spoke. Then Jeb Bush and Mira Holt met Zed Example of Concord Labs."
    found = candidate_actors(text, one_sentence(text), gazetteer=gaz,
                             known=["Jeb Bush", "Mira Holt"])
    assert {c["name"]: c["count"] for c in found} == {"Zed Example of Concord Labs": 1}
    toks = _tokenize(text)
    folded = [w.casefold() for w in toks.normed]
    cands = _Candidates(text, gaz._words, set(toks.normed), {("jeb", "bush")}, {"bush"})
    assert cands._known_in(folded, 0, 2) == (0, 2)
    cands.add({"sent_id": 0}, toks, folded, 0, 2, initial=True, after_actor=False)
    assert cands.found == {}


def test_candidates_reuse_find_mentions_scan(gaz):
    # the pipeline calls find_mentions then candidate_actors on the same text: same result as
    # a fresh scan
    text = ("Unfortunately the Quillfield Institute said that Jon Smallwood met Iraqi Security "
            "Forces in Washington. Iran’s envoy met the Quillfield Institute.")
    sents = one_sentence(text)
    fresh = candidate_actors(text, sents, gazetteer=gaz)
    find_mentions(text, sents, gazetteer=gaz)
    assert candidate_actors(text, sents, gazetteer=gaz) == fresh


def _per_sentence_scans(text, sents, gaz):
    """Tokens and hits of each sentence scanned alone (what the document scan must give)."""
    from analysis.actors import _tokenize

    out = []
    for s in sents:
        toks = _tokenize(text, s["start"], s["end"])
        hits = gaz._scan_tokens(text, toks)
        out.append((list(zip(toks.starts, toks.words, toks.normed, strict=True)),
                    toks.gaps[1:],  # (the gaps between the sentence's tokens)
                    [(h.start, h.end, h.last - h.first, h.target) for h in hits]))
    return out


def _document_scans(text, sents, gaz):
    """The same from one document scan (runs of sentences tokenised together)."""
    from analysis.actors import _scan_document

    doc = _scan_document(text, sents, gaz)
    starts, words, normed, gaps = doc.toks
    out = []
    for k in range(len(sents)):
        lo, hi = doc.bounds[k], doc.bounds[k + 1]
        hits = [(h.start, h.end, h.last - h.first, h.target) for h in doc.hits
                if lo <= h.first < hi]
        assert all(h.last < hi for h in doc.hits if lo <= h.first < hi)
        out.append((list(zip(starts[lo:hi], words[lo:hi], normed[lo:hi], strict=True)),
                    gaps[lo + 1:hi], hits))
    return out


def _sentences(text: str, spans) -> list[dict]:
    return [{"sent_id": i, "paragraph": 0, "start": a, "end": b, "text": text[a:b],
             "kind": "body", "voice": "narrator"} for i, (a, b) in enumerate(spans)]


def _spans_of(text: str, parts) -> list[tuple[int, int]]:
    """Sentence spans: a string is found in the text after the previous sentence; a tuple is
    given as is."""
    spans, pos = [], 0
    for part in parts:
        if isinstance(part, tuple):
            spans.append(part)
        else:
            start = text.index(part, pos)
            spans.append((start, start + len(part)))
        pos = spans[-1][1]
    return spans


@pytest.mark.parametrize("text,parts", [
    # possessives (straight and curly) at the end of a sentence, then whitespace
    ("Iran’s army moved. It met the Iraqis’ envoy. Ask Iraq's\nIRAN'S leaders.",
     ["Iran’s army moved.", "It met the Iraqis’", "envoy.", "Ask Iraq's", "IRAN'S leaders."]),
    # abutting sentences: a closing quote, no space ("end.”Next")
    ("He said “Iran will win.”Next, Tehran’s envoy left.",
     ["He said “Iran will win.”", "Next, Tehran’s envoy left."]),
    # dotted abbreviations and initials at the end of a sentence
    ("He flew to the U.S. The U.N. met George W. Bush in D.C. Then he left the U.S.",
     ["He flew to the U.S.", "The U.N. met George W.", "Bush in D.C.", "Then he left the U.S."]),
    ("Ask the U.S.'s allies. Ask the U.S.’ allies.",
     ["Ask the U.S.'s", "allies.", "Ask the U.S.’", "allies."]),
    # sentences cut inside a word and inside an abbreviation
    ("Tehran and Washington. U.S.A. met.", [(0, 3), (3, 22), (23, 27), (27, 34)]),
    # non-ASCII letters and punctuation, a Unicode digit, a paragraph break
    ("Erdoğan met Iran’s envoy — “Zürich ٣ talks.” Café owners in Iraq.\n\nMore.",
     ["Erdoğan met Iran’s envoy — “Zürich ٣ talks.”", "Café owners in Iraq.", "More."]),
    # names that start with a lower-case word (found apart from the capitalised openers)
    ("Then al-Qaeda and al Qaeda spoke. The jihadist group met Iran. Al-Qaeda left.",
     ["Then al-Qaeda and al Qaeda spoke.", "The jihadist group met Iran.", "Al-Qaeda left."]),
    # other text (boilerplate) between sentences; repeated, overlapping and empty sentences
    ("Iran spoke. [AD] Iraq spoke. Syria too.",
     ["Iran spoke.", "Iraq spoke.", (17, 28), (20, 39), (39, 39)]),
])
def test_document_scan_gives_each_sentence_its_own_tokens(gaz, text, parts):
    # find_mentions tokenises runs of sentences that whitespace separates in one pass and
    # gives each sentence its slice of the tokens: the same tokens (and gazetteer hits) as
    # tokenising every sentence alone, whatever lies between the sentences
    sents = _sentences(text, _spans_of(text, parts))
    assert _document_scans(text, sents, gaz) == _per_sentence_scans(text, sents, gaz)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"IranqUS.'’- \n\tAmeric-Wahgtoé“”٣_", "\ud800"]),
               max_size=80),
       st.lists(st.integers(0, 80), max_size=8), st.booleans())
def test_document_scan_matches_sentence_scans_on_any_text(text, cuts, strip):
    from itertools import pairwise

    gaz = load_gazetteer()
    points = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    # sentences between the cut points (every third left out: boilerplate), with the
    # whitespace at their edges stripped (then whitespace separates them, as in a
    # segmented text) or not (then most abut)
    spans = []
    for i, (a, b) in enumerate(pairwise(points)):
        if strip:
            a, b = a + len(text[a:b]) - len(text[a:b].lstrip()), a + len(text[a:b].rstrip())
        if i % 3 != 2 and a < b:
            spans.append((a, b))
    sents = _sentences(text, spans)
    assert _document_scans(text, sents, gaz) == _per_sentence_scans(text, sents, gaz)
    # and the pipeline's hand-over from find_mentions to candidate_actors changes nothing
    scans: dict = {}
    find_mentions(text, sents, gazetteer=gaz, scans=scans)
    assert (candidate_actors(text, sents, gazetteer=gaz, scans=scans)
            == candidate_actors(text, sents, gazetteer=gaz))


def test_candidates_rescan_when_the_sentences_differ(gaz):
    # a scans dict filled for other sentences (or unsorted ones) is not used blindly
    text = "Jon Smallwood met Mira Holt. The Quillfield Institute agreed. Zed Example left."
    sents = _sentences(text, [(0, 27), (28, 61), (62, 79)])
    scans: dict = {}
    find_mentions(text, sents[:2], gazetteer=gaz, scans=scans)
    assert (candidate_actors(text, sents, gazetteer=gaz, scans=scans)
            == candidate_actors(text, sents, gazetteer=gaz))
    find_mentions(text, sents, gazetteer=gaz, scans=scans)
    reordered = [sents[2], sents[0], sents[1]]
    assert (candidate_actors(text, reordered, gazetteer=gaz, scans=scans)
            == candidate_actors(text, sents, gazetteer=gaz))


def test_first_character_flags_ascii_and_unicode():
    from analysis.actors import _first_char_flags

    for words in (["Iran", "said", "9", "U.S.", "x"], ["Érdo", "é", "Ǆx", "ǅx", "²", "٣", "A"]):
        upper, upper_or_digit = _first_char_flags(words)
        assert list(upper) == [w[0].isupper() for w in words]
        assert list(upper_or_digit) == [w[0].isupper() or w[0].isdigit() for w in words]


def test_lookup_cache_gives_the_uncached_answer(gaz):
    phrases = ["Iraq’s", "the Iranian government", "American Enterprise Institute", "",
               "Iran's Foreign Ministry " * 20]  # (the last one is too long to be cached)
    for phrase in phrases * 2:
        assert gaz.lookup(phrase) == gaz._lookup(phrase)
