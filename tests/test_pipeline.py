"""analyze_document's own work: records, word counts, quotation scores."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.load import Document
from analysis.pipeline import _span_compound, analyze_document
from analysis.result import COLUMNS

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[’'\-]\w+)*")

_TEXT = (
    "Iran Offers Help\n\n"
    "“We will give Iraq everything it needs,” the U.S.-educated minister said on Monday. "
    "Mr. J. R. Doe, 54, disagreed.\n\n"
    "Share this article\n\n"
    "The State Department said: “It is not helpful.” Officials in Baghdad welcomed it.\n"
)


def test_records_carry_doc_id_first_and_columns_in_order():
    out = analyze_document(Document(doc_id="d1", source="<t>", text=_TEXT, encoding="str"))
    for key, rows in out.items():
        if key == "document":
            continue
        for row in rows:
            assert next(iter(row)) == "doc_id" and row["doc_id"] == "d1", key
    assert all(out[key] for key in ("segments", "sentences", "quotes", "mentions"))
    # records made by the pipeline itself keep the contract's column order
    for key in ("paragraphs", "sentences"):
        for row in out[key]:
            assert list(row) == COLUMNS[key]


def test_document_word_count_is_the_sum_over_sentences():
    out = analyze_document(Document(doc_id="d", source="<t>", text=_TEXT, encoding="str"))
    expected = sum(len(_WORD.findall(_TEXT, s["start"], s["end"])) for s in out["sentences"])
    assert out["document"]["n_words"] == expected
    assert expected == sum(len(_WORD.findall(s["text"])) for s in out["sentences"])


def _reference_span_compound(text, parts, sentences, polarity):
    """_span_compound as first written: a scan of every sentence."""
    pieces = []
    for start, end in parts:
        for s in sentences:
            if s["end"] <= start or s["start"] >= end:
                continue
            a, b = max(start, s["start"]), min(end, s["end"])
            if a == s["start"] and b == s["end"]:
                pieces.append(s["compound"])
            elif text[a:b].strip():
                pieces.append(polarity(text[a:b])["compound"])
    if not pieces:
        whole = " ".join(text[a:b] for a, b in parts)
        return polarity(whole)["compound"] if whole.strip() else 0.0
    return round(sum(pieces) / len(pieces), 4)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=4))
def test_span_compound_equals_a_scan_of_every_sentence(raw_parts):
    text = "Good day.  Bad news here. \n Fine then!   x  Awful.  "
    sentences = []
    for m in re.finditer(r"\S[^.!]*[.!]", text):
        sentences.append({"start": m.start(), "end": m.end(),
                          "compound": round(len(m.group()) / 100, 4)})

    def polarity(piece):  # a stand-in scorer: any function of the text
        return {"compound": round((len(piece.strip()) % 7) / 10 - 0.3, 4)}

    parts = [[a, min(a + n, len(text))] for a, n in raw_parts]
    ends = [s["end"] for s in sentences]
    assert _span_compound(text, parts, sentences, ends, polarity) == (
        _reference_span_compound(text, parts, sentences, polarity))


def test_spared_collector_freezes_for_the_run_and_restores():
    import gc

    from analysis.pipeline import spared_collector

    assert gc.get_freeze_count() == 0
    before = gc.get_threshold()
    with spared_collector():
        assert gc.get_freeze_count() > 0  # the objects alive now are out of the walks
        assert gc.get_threshold()[0] >= 20_000  # young collections less often
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_spared_collector_leaves_another_freeze_alone():
    import gc

    from analysis.pipeline import spared_collector

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with spared_collector():
            pass
        assert gc.get_freeze_count() == frozen  # not unfrozen by us
    finally:
        gc.unfreeze()
