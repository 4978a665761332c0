"""Tests of analysis.stance on short hand-made texts and records."""

from __future__ import annotations

import re

import pytest

from analysis.sentiment import get_scorer
from analysis.stance import directed_stance, stance_matrix, stance_records


def _records(text: str, actors: dict[str, str], quotes: list[dict] | None = None):
    """Sentence and mention records for ``text`` (one sentence per line)."""
    sentences, mentions, pos = [], [], 0
    quotes = quotes or []
    for i, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        sentences.append({"sent_id": i, "paragraph": 0, "start": start, "end": end,
                          "text": line, "kind": "body", "voice": "narrator", "compound": 0.0})
        for surface, actor in actors.items():
            for m in re.finditer(rf"\b{re.escape(surface)}\b", line):
                a, b = start + m.start(), start + m.end()
                voice = next((q["speaker"] for q in quotes if q["kind"] == "direct"
                              and q["start"] <= a < q["end"]), "narrator")
                mentions.append({"actor": actor, "start": a, "end": b, "text": surface,
                                 "sent_id": i, "voice": voice})
        pos = end + 1
    return sentences, mentions


def _quote(text: str, inner: str, speaker: str, kind: str = "direct") -> dict:
    start = text.index(inner)
    return {"quote_id": 0, "kind": kind, "start": start, "end": start + len(inner),
            "text": inner, "speaker": speaker}


def _by_pair(records: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["speaker"], r["actor"]): r for r in records}


def test_first_person_plural_is_affiliation_not_target() -> None:
    text = ('"We have chosen Freedonia as our strategic partner," the envoy said.\n'
            '"Don\'t make us desperate," the envoy said.')
    quotes = [_quote(text, "We have chosen Freedonia as our strategic partner,", "Envoy"),
              _quote(text, "Don't make us desperate,", "Envoy")]
    sentences, mentions = _records(text, {"Freedonia": "Freedonia"}, quotes)
    # the actors stage reports we/us as mentions of the affiliation
    for m in re.finditer(r"\b(We|us|our)\b", text):
        mentions.append({"actor": "Sylvania", "start": m.start(), "end": m.end(),
                         "text": m.group(0), "sent_id": 0 if m.start() < 60 else 1,
                         "voice": "Envoy"})
    recs = _by_pair(stance_records(text, sentences, quotes, mentions,
                                   speaker_affiliations={"Envoy": "Sylvania"},
                                   scorer=get_scorer("news")))
    assert recs[("Envoy", "Freedonia")]["label"] == "favor"
    assert "strategic partner" in recs[("Envoy", "Freedonia")]["evidence"][0]["cues"]
    assert ("Envoy", "Sylvania") not in recs  # we/us are the speaker's side, not a target


def test_cue_polarity_and_negation() -> None:
    text = "Ruritania is a reliable ally.\nOfficials said Ruritania is not an ally."
    sentences, mentions = _records(text, {"Ruritania": "Ruritania"})
    recs = stance_records(text, sentences[:1], [], mentions[:1], speaker_affiliations={})
    assert recs[0]["label"] == "favor"
    recs = stance_records(text, sentences[1:], [], mentions[1:], speaker_affiliations={})
    assert recs[0]["label"] == "against"
    assert recs[0]["evidence"][0]["cues"] == ["not ally"]


def test_clause_scoping_two_actors() -> None:
    text = "Ruritania is a trusted partner, but Borduria is a threat to the region."
    sentences, mentions = _records(text, {"Ruritania": "Ruritania", "Borduria": "Borduria"})
    recs = _by_pair(stance_records(text, sentences, [], mentions, speaker_affiliations={}))
    assert recs[("narrator", "Ruritania")]["label"] == "favor"
    assert recs[("narrator", "Borduria")]["label"] == "against"


def test_narrator_and_indirect_speaker() -> None:
    text = ("The militia remains a threat, the report says.\n"
            "The minister said that Borduria was a valued partner.")
    quote = _quote(text, "Borduria was a valued partner", "Minister", kind="indirect")
    sentences, mentions = _records(text, {"militia": "Militia", "Borduria": "Borduria"})
    recs = _by_pair(stance_records(text, sentences, [quote], mentions,
                                   speaker_affiliations={"Minister": None}))
    assert recs[("narrator", "Militia")]["label"] == "against"
    assert recs[("Minister", "Borduria")]["label"] == "favor"
    assert ("narrator", "Borduria") not in recs
    table = stance_matrix(recs.values())
    assert list(table.columns[:5]) == ["speaker", "actor", "score", "label", "n_evidence"]
    assert len(table) == 2


def test_directed_stance() -> None:
    text = "Smith slammed Jones as a threat to democracy."
    score, label = directed_stance(text, (0, 5), (14, 19))
    assert label == "against" and score < 0
    assert directed_stance(text, (14, 19), (0, 5)) == (0.0, "neutral")
    with pytest.raises(ValueError, match="source_span"):
        directed_stance(text, (0, 500), (14, 19))


def test_cues_argument_must_be_list(tmp_path) -> None:
    with pytest.raises(TypeError, match="cues="):
        stance_records("x", [], [], [], speaker_affiliations={}, cues="x.yaml")


def _span(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


@pytest.mark.parametrize(("text", "label"), [
    ("Smith praised Jones for the rescue.", "favor"),
    ("Smith has long accused Jones of lying.", "against"),
    ("Smith, a senator, endorsed Jones on Monday.", "favor"),
    ("Smith has not endorsed Jones.", "against"),
    ("Jones was criticized by Smith.", "against"),
    ("Jones was sharply criticized on Friday by Smith.", "against"),
    ("Smith met Jones on Monday.", "neutral"),
    ("Smith spoke for hours. The crowd blamed Jones.", "neutral"),
    ("Smith was praised by Jones.", "neutral"),
])
def test_directed_relation_verbs(text: str, label: str) -> None:
    score, got = directed_stance(text, _span(text, "Smith"), _span(text, "Jones"))
    assert got == label
    assert (score > 0) if label == "favor" else (score < 0) if label == "against" else \
        score == 0.0


def _narrator(text: str, actors: dict[str, str]) -> dict[tuple[str, str], dict]:
    sentences, mentions = _records(text, actors)
    return _by_pair(stance_records(text, sentences, [], mentions, speaker_affiliations={}))


def test_object_cue_is_not_about_the_actor_doing_it() -> None:
    recs = _narrator("Freedonia vowed to fight the rebels.",
                     {"Freedonia": "Freedonia", "rebels": "Rebels"})
    assert recs[("narrator", "Rebels")]["label"] == "against"
    assert recs[("narrator", "Freedonia")]["score"] == 0.0
    # a passive subject receives the act
    recs = _narrator("Freedonia was accused of fraud.", {"Freedonia": "Freedonia"})
    assert recs[("narrator", "Freedonia")]["label"] == "against"
    # "fighting in X": a place, not a target
    recs = _narrator("Rebels were killed fighting in Freedonia.", {"Freedonia": "Freedonia"})
    assert recs[("narrator", "Freedonia")]["score"] == 0.0


def test_cues_after_possessor_preposition_or_speech() -> None:
    recs = _narrator("Borduria's ally Freedonia sent troops.",
                     {"Borduria": "Borduria", "Freedonia": "Freedonia"})
    assert recs[("narrator", "Borduria")]["score"] == 0.0
    assert recs[("narrator", "Freedonia")]["label"] == "favor"
    recs = _narrator("A focus on Borduria is welcomed.", {"Borduria": "Borduria"})
    assert recs[("narrator", "Borduria")]["score"] == 0.0
    recs = _narrator("Freedonia said the rebels are a threat.",
                     {"Freedonia": "Freedonia", "rebels": "Rebels"})
    assert recs[("narrator", "Freedonia")]["score"] == 0.0
    assert recs[("narrator", "Rebels")]["label"] == "against"


def test_many_mentions_in_one_long_sentence():
    # clause cuts, cue hits and compounds are computed once per sentence (was quadratic)
    text = "America condemned Iran and praised Iraq " * 300
    sentences, mentions = _records(text, {"America": "United States", "Iran": "Iran"})
    assert len(mentions) == 600
    records = stance_records(text, sentences, [], mentions, speaker_affiliations={},
                             scorer=get_scorer("news"))
    assert {r["actor"] for r in records} == {"United States", "Iran"}
    one = "America condemned Iran and praised Iraq."
    s1, m1 = _records(one, {"America": "United States", "Iran": "Iran"})
    short = _by_pair(stance_records(one, s1, [], m1, speaker_affiliations={}))
    assert short[("narrator", "Iran")]["label"] == "against"


def test_windows_of_a_long_clause_see_the_cues_near_each_mention():
    # one clause longer than MAX_CLAUSE: each mention is scored on a window around it, and
    # the cues found once over the clause are the ones a scan of that window would find
    from analysis.stance import MAX_CLAUSE

    filler = "officials met for many long hours in the capital " * 40
    text = f"{filler}they condemned Iran {filler}they praised Iraq {filler}".strip()
    assert len(text) > 3 * MAX_CLAUSE and "," not in text
    sentences, mentions = _records(text, {"Iran": "Iran", "Iraq": "Iraq"})
    by = _by_pair(stance_records(text, sentences, [], mentions, speaker_affiliations={},
                                 scorer=get_scorer("news")))
    iran, iraq = by[("narrator", "Iran")], by[("narrator", "Iraq")]
    assert iran["evidence"][0]["cues"] == ["condemned"]  # not the far "praised"
    assert iraq["evidence"][0]["cues"] == ["praised"]
    assert iran["score"] < 0 < iraq["score"]


def test_fast_cue_scan_finds_what_the_plain_pattern_finds(tmp_path):
    # on ASCII text _cue_spans uses a twin of the cue pattern (lower-cased text, a leading
    # character set instead of the lookbehind) and the cues are a character trie instead of
    # a longest-first alternation: the same cues at the same offsets
    import dataclasses
    import random

    from analysis.stance import StanceCues, _cue_spans, load_stance_cues

    cues = load_stance_cues()
    assert cues._ascii is not None
    no_twin = dataclasses.replace(cues, _ascii=None)
    alts = sorted(cues.polarity, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, c.split())) for c in alts)
    plain = StanceCues(pattern=re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE),
                       polarity=cues.polarity)
    texts = ["Ally,ally-ally allyally ally_ally ALLY -ally ally- x.ally. (ally)",
             "sponsor  of\n\tterrorism, SPONSORS TERRORISM; sponsor of terror",
             "support supported supports-support not an ally, never a friend",
             "Strategic   Partner partnership partners partner", "existential threat",
             "«ally» and “partner” are not ASCII"]
    pieces = ["ally", "allies", "partner", "ship", "sponsor", "of", "terrorism", "s", "ed",
              "support", "not", "Threat", "existential", " ", "  ", "\t", "-", "_", ",",
              "'", "n't", "X", "9"]
    rng = random.Random(11)
    texts += ["".join(rng.choice(pieces) for _ in range(40)) for _ in range(400)]
    for text in texts:
        expected = _cue_spans(text, plain)
        assert _cue_spans(text, cues) == expected, text
        assert _cue_spans(text, no_twin) == expected, text
    # cues that are not ASCII or do not start with a word character: no twin
    extra = tmp_path / "cues.yaml"
    extra.write_text('version: 1\ncues:\n  - {cue: "#boycott", polarity: against}\n'
                     '  - {cue: "amitié", polarity: favor}\n', encoding="utf-8")
    user = load_stance_cues((str(extra),))
    assert user._ascii is None
    assert [h[0] for h in _cue_spans("an ally, #boycott and Amitié", user)] == [
        "ally", "#boycott", "amitié"]


def test_fast_clause_cuts_equal_the_sentiment_cuts():
    # _cuts finds the cuts of a sentence without conjunctions with one punctuation pass;
    # other sentences use sentiment._clause_cuts: the same cuts either way
    import random

    from analysis.sentiment import _clause_cuts
    from analysis.stance import _SPLIT_CUTS, _cuts

    assert _SPLIT_CUTS
    texts = ["A, b; c: (d) e\u2013f\u2014g \u201ch\u201d \"i\" j,k ,\tl ,\u00a0m",
             "x but y, but z BUT w  While v whereas u although t though s because r",
             " but but but but ", "whİle whıle becauſe, ok", "no cut at all"]
    texts += [f"x {w} y, z" for w in ("but", "while", "whereas", "although", "Though", "because")]
    pieces = ["but", "BUT", "While", "whereas", "although", "though", "because", "x", "a",
              " ", "\t", "\n", ",", ", ", ";", ":", "(", ")", "\u201c", "\u2014", "\"",
              "\u00a0", "\u0130", "\u0131", "\u017f"]
    rng = random.Random(5)
    texts += ["".join(rng.choice(pieces) for _ in range(n)) for n in (8, 30) for _ in range(300)]
    for text in texts:
        assert _cuts(text) == _clause_cuts(text), text
    # the conjunction test reads the lower-cased sentence: any character that matches a
    # conjunction's letter case-insensitively lower-cases to it, but for İ ı ſ (tested apart)
    everything = "".join(map(chr, range(0x110000)))
    for letter in set("butwhilewhereasthoughbecause"):
        found = set(re.findall(letter, everything, re.IGNORECASE))
        assert {c for c in found if c.lower() != letter} <= {"\u0130", "\u0131", "\u017f"}
