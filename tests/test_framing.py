"""Tests for analysis.framing (texts written for the tests; one bundled article)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.framing import (
    candidate_terms,
    collocations,
    compare,
    dispersion,
    find_framing,
    frequencies,
    kwic,
    kwic_html,
    load_frames,
    plot_dispersion,
    positions,
)
from analysis.lexicons import LexiconError

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "raw" / "iran-offers-iraq-everything-it-needs.txt"


def one_sentence(text: str, voice: str = "narrator") -> list[dict]:
    return [{"sent_id": 0, "paragraph": 0, "start": 0, "end": len(text), "text": text,
             "kind": "body", "voice": voice}]


def hits_of(text: str, lexicon=None) -> list[dict]:
    return find_framing(text, one_sentence(text), lexicon=lexicon or load_frames())


def terms_of(text: str, lexicon=None) -> list[tuple[str, str]]:
    return [(h["term"], h["text"]) for h in hits_of(text, lexicon)]


def write(tmp_path: Path, body: str, name: str = "extra.yaml") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


# --- matching ---------------------------------------------------------------------------


def test_variants_map_to_canonical_term():
    text = ("Iran, a state sponsor of terrorism, and other sponsors of terrorism; "
            "a terror sponsor, a terror-sponsoring regime and a sponsor of terror.")
    got = terms_of(text)
    assert [t for t, _ in got] == ["sponsor of terrorism"] * 5
    assert [s for _, s in got] == ["state sponsor of terrorism", "sponsors of terrorism",
                                   "terror sponsor", "terror-sponsoring regime",
                                   "sponsor of terror"]


def test_power_vacuum_phrases():
    text = ("Iran will step into the void. Nobody can fill this void. There is a void. "
            "A power vacuum opened; rivals filled the vacuum.")
    assert terms_of(text) == [("void", "step into the void"), ("void", "fill this void"),
                              ("void", "void"), ("power vacuum", "power vacuum"),
                              ("vacuum", "filled the vacuum")]


def test_token_boundaries():
    text = "They avoid risk; the deal was voided and devoid of sense. Voids? No: a void."
    assert terms_of(text) == [("void", "void")]
    assert terms_of("desperately desperation desperates") == [
        ("desperate", "desperately"), ("desperation", "desperation")]


def test_longest_match_wins_overlaps():
    assert terms_of("a humanitarian crisis and a crisis") == [
        ("humanitarian crisis", "humanitarian crisis"), ("crisis", "crisis")]
    # "terrorism" alone is its own term, but inside the longer term it is not reported
    assert terms_of("the state sponsor of terrorism") == [
        ("sponsor of terrorism", "state sponsor of terrorism")]


def test_apostrophes_curly_and_straight(tmp_path):
    extra = write(tmp_path, 'version: 1\nframes:\n  - frame: calm\n'
                            '    terms: ["don\'t panic"]\n')
    lex = load_frames([extra])
    for text in ("Don't panic.", "Don’t panic.", "DON‘T PANIC"):
        assert [t for t, _ in terms_of(text, lex)] == ["don't panic"], text
    assert terms_of("Shi’ite grievances and Shi'ite anger") == [
        ("Sunni discontent", "Shi’ite grievances"), ("Sunni discontent", "Shi'ite anger")]


def test_hyphen_and_space_variants():
    got = [s for _, s in terms_of("a counter-offensive, a counter offensive, a counteroffensive")]
    assert got == ["counter-offensive", "counter offensive", "counteroffensive"]


def test_no_match_across_punctuation_or_paragraphs():
    assert terms_of("They fill. The void") == [("void", "void")]
    assert terms_of("humanitarian\n\ncrisis") == [("crisis", "crisis")]


def test_spans_exact_with_crlf_and_odd_characters():
    text = "İstanbul\r\nFears of a POWER\r\nvacuum grew; “sectarian” strife.\r\n"
    hits = hits_of(text)
    assert [h["term"] for h in hits] == ["power vacuum", "sectarian"]
    for h in hits:
        assert text[h["start"]:h["end"]] == h["text"]


def test_first_word_regex_finds_what_a_walk_over_every_token_finds(tmp_path):
    # scan() walks the trie only from the words a term can start with (found by one regex);
    # the walk over every token, kept for terms that start with punctuation, agrees
    from analysis.framing import _normalise

    lex = load_frames()
    assert lex._first is not None
    text = (ARTICLE.read_text(encoding="utf-8") + "\nstate-sponsors of terror; statesman, "
            "a_power vacuum, POWER-VACUUM\n\nvoid.void vacuums terrorism")
    assert lex.scan(text) == lex._scan_tokens(_normalise(text))
    assert lex.scan("power vacuum")[0][:2] == (0, 12)  # a hit at offset 0
    extra = write(tmp_path, 'version: 1\nframes:\n  - frame: online\n'
                            '    terms: ["#jihad"]\n')
    hashtag = load_frames([extra])
    assert hashtag._first is None  # a term starts with "#": every token is walked
    assert terms_of("A #jihad post, a jihad; power vacuum", hashtag) == [
        ("#jihad", "#jihad"), ("jihadist", "jihad"), ("power vacuum", "power vacuum")]


def test_sentences_and_voice():
    text = "Boilerplate: crisis. He said “we are desperate” today. The void."
    s1 = text.index("He")
    s2 = text.index("The void")
    sents = [{"sent_id": 1, "start": s1, "end": s2 - 1, "text": text[s1:s2 - 1],
              "voice": "narrator"},
             {"sent_id": 2, "start": s2, "end": len(text), "text": text[s2:],
              "voice": "narrator"}]
    hits = find_framing(text, sents, lexicon=load_frames())
    assert [(h["term"], h["sent_id"], h["voice"]) for h in hits] == [
        ("desperate", 1, "narrator"), ("void", 2, "narrator")]  # boilerplate not reported
    q0, q1 = text.index("“"), text.index("”")

    def voice_at(i: int) -> str:
        return "Official" if q0 <= i < q1 else "narrator"

    hits = find_framing(text, sents, lexicon=load_frames(), voice_at=voice_at)
    assert [h["voice"] for h in hits] == ["Official", "narrator"]
    assert set(hits[0]) == {"frame", "term", "start", "end", "text", "sent_id", "voice"}


def test_user_file_extends_overrides_and_replaces(tmp_path):
    extra = write(tmp_path, """version: 1
frames:
  - frame: power vacuum
    terms:
      - "void = void(s)"          # redefines the packaged term
      - "black hole = black hole(s)"
""")
    lex = load_frames([extra])
    assert terms_of("fill the void, black holes", lex) == [
        ("void", "void"), ("black hole", "black holes")]
    assert lex.lookup("vacuum").frame == "power vacuum"  # packaged terms still there
    only = load_frames([extra], replace=True)
    assert {t.term for t in only.terms} == {"void", "black hole"}
    assert load_frames([extra]) is lex  # compiled once (cache keyed on the files)


def test_lookup_accepts_surface_variants():
    lex = load_frames()
    assert lex.lookup("Terror-Sponsor").term == "sponsor of terrorism"
    assert lex.lookup("step into the void").term == "void"
    assert lex.lookup("no such phrase") is None


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(("term", "expected"), [
    ('"[state sponsor of terror"', "unbalanced '['"),
    ('"sponsor(s of terror"', "unbalanced '('"),
    ('"sponsor of terror]"', "unbalanced ']'"),
    ('"fill|step into the void"', "ambiguous"),
    ('"bad [name] = void"', "canonical name"),
])
def test_pattern_errors_name_file_line_entry_and_fix(tmp_path, term, expected):
    path = write(tmp_path, f"""version: 1
frames:
  - frame: ok
    terms: ["fine"]
  - frame: broken
    terms:
      - "good term"
      - {term}
""")
    with pytest.raises(LexiconError) as info:
        load_frames([path])
    msg = str(info.value)
    assert f"{path}:8:" in msg
    assert "entry 2 ('broken')" in msg and "term 2" in msg
    assert expected in msg and "Fix:" in msg


def test_schema_and_duplicate_errors(tmp_path):
    missing = write(tmp_path, "version: 1\nframes:\n  - frame: x\n", "missing.yaml")
    with pytest.raises(LexiconError, match=r"missing.yaml:3: .*lacks 'terms'"):
        load_frames([missing])
    dup = write(tmp_path, 'version: 1\nframes:\n  - frame: x\n    terms: ["void", "Void"]\n',
                "dup.yaml")
    with pytest.raises(LexiconError, match="defined twice"):
        load_frames([dup])
    clash = write(tmp_path, 'version: 1\nframes:\n  - frame: x\n'
                            '    terms: ["a = big void", "b = [big] void"]\n', "clash.yaml")
    with pytest.raises(LexiconError, match="both match 'big void'"):
        load_frames([clash])


# --- counting -----------------------------------------------------------------------------


def _toy_analysis() -> SimpleNamespace:
    t1 = ("Headline about a crisis\n\nIran is desperate. “We are desperate,” he said.\n\n"
          "The crisis deepened. The void grew.")
    t2 = "A crisis. Another crisis.\n\nThe <script>alert(1)</script> void remains."
    sents, framing = [], []
    for doc_id, text in (("d1", t1), ("d2", t2)):
        paras = text.split("\n\n")
        pos = 0
        sid = 0
        for p_i, para in enumerate(paras):
            start = text.index(para, pos)
            pieces = [x for x in para.replace(". ", ".|").replace(",” ", ",”|").split("|")]
            for piece in pieces:
                s = text.index(piece, start)
                voice = "Official" if piece.startswith("“") else "narrator"
                kind = "headline" if doc_id == "d1" and p_i == 0 else "body"
                sents.append({"doc_id": doc_id, "sent_id": sid, "paragraph": p_i, "start": s,
                              "end": s + len(piece), "text": piece, "kind": kind,
                              "voice": voice})
                sid += 1
                start = s + len(piece)
            pos = start
        doc_sents = [s for s in sents if s["doc_id"] == doc_id]
        for h in find_framing(text, doc_sents, lexicon=load_frames()):
            framing.append({**h, "doc_id": doc_id})
    documents = pd.DataFrame({"doc_id": ["d1", "d2"], "text": [t1, t2],
                              "n_words": [20, 10], "outlet": ["A", "B"]})
    return SimpleNamespace(documents=documents, sentences=pd.DataFrame(sents),
                           framing=pd.DataFrame(framing))


def test_frequencies_counts_and_rates():
    an = _toy_analysis()
    f = frequencies(an.framing, an.documents, by="term").set_index("term")
    assert f.loc["crisis", "count"] == 4 and f.loc["crisis", "n_words"] == 30
    assert f.loc["crisis", "per_1000"] == pytest.approx(4 / 30 * 1000)
    by_doc = frequencies(an.framing, an.documents, by=["outlet", "frame"])
    row = by_doc[(by_doc.outlet == "B") & (by_doc.frame == "crisis")].iloc[0]
    assert (row["count"], row["n_words"], row["per_1000"]) == (2, 10, 200.0)


def test_frequencies_per_voice_and_position():
    an = _toy_analysis()
    v = frequencies(an.framing, an.documents, by=["term", "voice"], sentences=an.sentences)
    d = v[v.term == "desperate"].set_index("voice")["count"].to_dict()
    assert d == {"narrator": 1, "Official": 1}
    official_words = an.sentences[an.sentences.voice == "Official"]["text"].str.split().str.len()
    row = v[(v.term == "desperate") & (v.voice == "Official")].iloc[0]
    assert row["n_words"] == official_words.sum()
    assert row["per_1000"] == pytest.approx(1000 / official_words.sum())
    p = frequencies(an.framing, an.documents, by=["doc_id", "position"],
                    sentences=an.sentences)
    got = {(r.doc_id, r.position): r.count for r in p.itertuples()}
    assert got[("d1", "head")] == 1 and got[("d1", "lead")] == 2
    assert got[("d1", "ending")] == 2 and got[("d2", "lead")] == 2
    with pytest.raises(ValueError, match="sentences="):
        frequencies(an.framing, an.documents, by="position")
    with pytest.raises(ValueError, match="by=.*unknown"):
        frequencies(an.framing, an.documents, by="nope")


def test_positions_single_paragraph_is_lead():
    s = pd.DataFrame({"doc_id": ["x", "x"], "paragraph": [3, 3], "kind": ["body", "body"]})
    assert positions(s).tolist() == ["lead", "lead"]


# --- KWIC ---------------------------------------------------------------------------------


def test_kwic_columns_and_lookup_by_variant():
    an = _toy_analysis()
    k = kwic(an, "crisis", width=15)
    assert list(k.columns[:9]) == ["left", "match", "right", "doc_id", "sent_id", "sentence",
                                   "voice", "start", "end"]
    assert len(k) == 4 and set(k["doc_id"]) == {"d1", "d2"}
    text = an.documents.set_index("doc_id")["text"]
    for r in k.itertuples():
        assert text[r.doc_id][r.start:r.end] == r.match
        assert len(r.left) <= 15 and len(r.right) <= 15
    k2 = kwic("Iran, a terror sponsor, and a state sponsor of terrorism.", "terror sponsor")
    assert k2["match"].tolist() == ["terror sponsor", "state sponsor of terrorism"]
    assert kwic("A crisis; the crisis.", "crisis|void", by="regex")["match"].tolist() == [
        "crisis", "crisis"]
    assert len(kwic(an, "power vacuum", by="frame")) == 2
    # the pipeline's per-hit voice (a quote's speaker) is kept
    an.framing.loc[an.framing.term == "void", "voice"] = "Speaker X"
    assert set(kwic(an, "void")["voice"]) == {"Speaker X"}
    # a phrase outside the lexicon is matched literally
    assert kwic("He said it grew.", "it grew")["match"].tolist() == ["it grew"]


def test_kwic_html_escapes_article_text():
    an = _toy_analysis()
    out = kwic_html(kwic(an, "void", width=40))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.count("<mark>") == 2 and "<table" in out


# --- dispersion -----------------------------------------------------------------------


def test_dispersion_and_plot():
    an = _toy_analysis()
    d = dispersion(an.framing, an.documents)
    assert d["relative_position"].between(0, 1).all()
    assert {"term", "doc_id", "voice", "start", "relative_position", "sent_id"} <= set(d)
    import matplotlib

    matplotlib.use("Agg")
    ax = plot_dispersion(d)
    assert ax.get_xlim() == (0, 1)


def test_import_is_light():
    code = ("import sys, analysis.framing; "
            "print(any(m in sys.modules for m in ('matplotlib', 'seaborn', 'vaderSentiment')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# --- collocations, candidates, keyness ------------------------------------------------


def test_collocations_min_freq_and_stopwords():
    texts = ["The power vacuum widened. A power vacuum again.",
             "Power vacuum fears. The red line was crossed. Of the people."]
    two = collocations(texts, n=2, min_freq=2)
    assert two["ngram"].tolist() == ["power vacuum"]
    assert two.loc[0, "freq"] == 3
    assert "red line" in collocations(texts, n=2, min_freq=1)["ngram"].tolist()
    assert not collocations(texts, n=2, min_freq=1)["ngram"].str.contains(r"\bthe\b").any()
    tri = collocations(["fill the void. fill the void. fill the void"], n=3, min_freq=2,
                       measure="pmi")
    assert tri["ngram"].tolist() == ["fill the void"]


def test_candidate_terms_excludes_lexicon_and_finds_loaded_words():
    text = ("The regime is brutal. A brutal crackdown followed. Officials fear a red line. "
            "Red line talk and the humanitarian crisis grew. The crisis is brutal.")
    mentions = pd.DataFrame({"doc_id": [0], "start": [4], "end": [10]})
    c = candidate_terms(text, mentions=mentions, min_freq=2)
    assert "brutal" in c[c.kind == "loaded"]["candidate"].tolist()
    assert "red line" in c[c.kind == "ngram"]["candidate"].tolist()
    assert not c["candidate"].str.contains("crisis").any()  # already in the lexicon
    assert c.loc[c.candidate == "brutal", "near_actor"].iloc[0] >= 1


def test_compare_keyness_sign_and_exclusive_terms():
    framing = pd.DataFrame({
        "term": ["void"] * 8 + ["crisis"] * 1 + ["ally"] * 2 + ["crisis"] * 7,
        "voice": ["A"] * 8 + ["A"] + ["A"] * 2 + ["B"] * 7,
    })
    out = compare(framing, group="voice", a="A", b="B", totals={"A": 1000, "B": 1000})
    z = out.set_index("term")["z"]
    assert z["void"] > 0 and z["crisis"] < 0
    assert out.iloc[0]["term"] == "void" and out.iloc[-1]["term"] == "crisis"
    used = out.set_index("term")["used_by"]
    assert used["void"] == "A" and used["crisis"] == "both"
    # swapping the groups flips the sign
    flipped = compare(framing, group="voice", a="B", b="A", totals={"A": 1000, "B": 1000})
    assert flipped.set_index("term")["z"]["void"] == pytest.approx(-z["void"])
    by_texts = compare(framing, group="voice", a="A", b="B",
                       texts={"A": ["word " * 500], "B": "word " * 500})
    assert by_texts.attrs["n_a"] == 500
    with pytest.raises(ValueError, match="a='C'"):
        compare(framing, group="voice", a="C", b="B")


# --- bundled article ------------------------------------------------------------------


@pytest.mark.skipif(not ARTICLE.exists(), reason="bundled article absent")
def test_bundled_article_counts():
    text = ARTICLE.read_text(encoding="utf-8")
    hits = hits_of(text)
    count = pd.Series([h["term"] for h in hits]).value_counts()
    assert count["sponsor of terrorism"] == 2
    assert "state sponsor of terrorism" in [h["text"] for h in hits]
    assert count["void"] == 4
    assert count["desperate"] == 4
    for h in hits:
        assert text[h["start"]:h["end"]] == h["text"]


def test_collocations_chunking_on_runs_of_marks():
    # a long run of marks not followed by a space used to backtrack quadratically
    out = collocations(["." * 30000 + "x", "oil prices rose. oil prices fell!... oil prices"],
                       min_freq=2)
    assert out["ngram"].tolist()[:1] == ["oil prices"]
    assert out["freq"].tolist()[:1] == [3]


def test_first_words_split_by_the_character_before_them_find_the_same_candidates():
    # scan() finds the first words with two regexes (an ASCII character before the word, a
    # non-ASCII one checked as non-word) instead of one with [\W_] in front: same matches
    import dataclasses
    import random

    from analysis.framing import _normalise

    lex = load_frames()
    assert lex._first is not None and lex._first_split is not None
    one_regex = dataclasses.replace(lex, _first_split=None)
    texts = ["power vacuum", "“jihad” «power vacuum» éjihad jihad’s _jihad 9jihad",
             "\u00a0power\u00a0vacuum;İpower vacuum\u2028war—war–war_war", "ſtate sponsor",
             "war" * 3 + " war-war void.void\n\nvoid"]
    pieces = ["war", "power", "vacuum", "void", "jihad", "state", "sponsor", "of", "terror",
              " ", "  ", "-", "_", "“", "”", "é", "’", "\u00a0", "\n\n", ".", ",", "9", "İ"]
    rng = random.Random(7)
    texts += ["".join(rng.choice(pieces) for _ in range(60)) for _ in range(300)]
    for text in texts:
        padded = " " + _normalise(text)
        one = [m.span(1) for m in lex._first.finditer(padded)]
        ascii_, other = lex._first_split
        split = sorted([m.span(1) for m in ascii_.finditer(padded)]
                       + [m.span(1) for m in other.finditer(padded)
                          if not padded[m.start()].isalnum() and padded[m.start()] != "_"])
        assert split == one, text
        assert lex.scan(text) == one_regex.scan(text) == lex._scan_tokens(_normalise(text))


def test_first_word_lookahead_for_the_next_token_drops_no_hit():
    # a first word that is no term alone is a candidate only when a token that may follow it
    # in a term comes next (after whitespace and hyphens, not across a paragraph break):
    # the same hits as the walk over every token
    import random

    from analysis.framing import _normalise

    lex = load_frames()
    words = ["state", "states", "sponsor", "sponsoring", "of", "terror", "terrorism", "political",
             "vacuum", "void", "left", "the", "power", "all", "out", "last", "ditch", "resort",
             "job", "losses", "war"]
    gaps = [" ", "  ", "-", " - ", "\u2010", "\u2011", "\n", "\n \n", "\n-\n", " \n", "\t",
            "\u00a0", "\u2028", "", ",", "’", "_", "“", "."]
    rng = random.Random(11)
    texts = ["state sponsor", "state\n\nsponsor", "state\n-\nsponsor", "political\u00a0vacuum",
             "left a void", "left\n \n a void", "last-ditch", "last ditch.", "all-out war",
             "statesponsor", "state_sponsor", "state  \n  sponsor"]
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts += [rng.choice(words), rng.choice(gaps)]
        texts.append("".join(parts))
    for text in texts:
        assert lex.scan(text) == lex._scan_tokens(_normalise(text)), text
