"""Tests for the speed paths of speaker-mention analysis (analysis.speakers)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.speakers import (
    WORD_RE,
    _affiliation,
    _cap_runs,
    _has,
    _person_name,
    analyse_mention,
    load_roles,
)


def test_has_on_lower_case_words_is_lex_has() -> None:
    # mention analysis tests lower-cased words against the kind's word set directly
    lex = load_roles()
    words = sorted(lex.index) + ["Gen.", "GEN.", "gen..", "Smith", "said", "", ".", "Ms",
                                 "İ", "ǅ", "secretary of state", "Spokesman."]
    for kind in lex.words:
        group = lex.by_kind.get(kind, frozenset())
        for w in words:
            for v in (w, w.upper(), w.title(), w + "."):
                assert _has(group, v.lower()) == lex.has(kind, v), (kind, v)


def test_shared_runs_give_the_same_name_and_affiliation() -> None:
    # analyse_mention computes the capitalised runs of the core once for both helpers
    lex = load_roles()
    pieces = ["Jane", "Doe", "Gen.", "Secretary", "of", "State", "the", "Iraq’s", "ambassador",
              "al", "Assad", "spokesman", "for", "U.S.", "London-based", "Foundation", "and"]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=8),
           st.lists(st.sampled_from(pieces), max_size=4))
    def check(core: list[str], rest: list[str]) -> None:
        runs = _cap_runs(core, lex)
        name = _person_name(core, lex)
        assert _person_name(core, lex, runs) == name
        assert _affiliation(core, [], rest, lex, name[0], core_runs=runs) == _affiliation(
            core, [], rest, lex, name[0])
        if not any("'" in w or "’" in w for w in core + rest):  # (then none is a possessor)
            assert _affiliation(core, [], rest, lex, name[0], possessives=False) == _affiliation(
                core, [], rest, lex, name[0])

    check()


def test_tokens_around_the_first_comma_are_those_of_the_slices() -> None:
    # analyse_mention tokenises before and after the first comma in place (no slices)
    alphabet = st.sampled_from(list("aZ9_é.’'- \n,"))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet, max_size=30))
    def check(text: str) -> None:
        comma = text.find(",")
        if comma > 0:
            assert WORD_RE.findall(text, 0, comma) == WORD_RE.findall(text[:comma])
            assert WORD_RE.findall(text, comma + 1) == WORD_RE.findall(text[comma + 1:])

    check()


def test_mention_analysis_examples() -> None:
    # pinned results (the same before the speed work)
    lex = load_roles()
    m = analyse_mention("Sen. Jane Doe of Ohio, a Republican", lex=lex)
    assert (m.kind, m.name, m.head, m.affiliation, m.aff_strength) == (
        "name", "Jane Doe", "Doe", "Ohio", 2)
    m = analyse_mention("the London-based Example Foundation spokesman", lex=lex)
    assert (m.kind, m.name, m.gender, m.role, m.definite) == (
        "name", "London-based Example Foundation", "m", "spokesman", True)
    assert analyse_mention("he", lex=lex).kind == "pronoun"
