"""Property-based tests over the whole pipeline (hypothesis).

For arbitrary text — random Unicode and generated news-like text with quotation marks,
names, "said", line breaks of every kind — the JSON contract's invariants hold:

* every span's ``text[start:end]`` equals its surface (sentences, quotes, mentions, framing)
  and speaker/cue offsets lie inside the text; a quote's ``parts`` are ordered, disjoint
  and run from its start to its end;
* segments tile the text exactly; sentences are sorted, never overlap, and lie inside
  analysed segments; every quote lies within its document;
* analysing a document alone or inside a corpus (a JSONL with several documents, a folder)
  gives the same records, modulo ``doc_id``.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis
from analysis.clean import ANALYSED_KINDS
from analysis.load import Document
from analysis.pipeline import analyze_document

PER_DOC = ("segments", "paragraphs", "sentences", "quotes", "mentions", "framing",
           "stance_evidence")
SPANS = ("sentences", "quotes", "mentions", "framing")

NAMES = ["Mohammad Javad Zarif", "Gen. Qassem", "the ambassador", "a senior official",
         "Mr. Smith", "Dr. Ana Ruiz", "President Obama", "ISIS", "the U.S. State Department",
         "Iraq’s prime minister", "he", "she", "they", "Hezbollah", "O’Neil", "al-Maliki"]
CUES = ["said", "says", "told reporters", "added", "warned", "according to", "claimed",
        "stated", "insisted", "said on Monday", "Said", "SAID"]
WORDS = ["Iran", "Iraq", "terrorism", "void", "desperate", "support", "war", "peace", "the",
         "U.S.", "sponsor of terrorism", "help", "not", "never", "good", "bad", "Tehran",
         "Baghdad", "militants", "—", "(", ")", ",", ";", ":", "…", "e.g.", "’s", "'s",
         "Jan.", "5", "1,000", "😀", "\u200b", "שלום", "مرحبا"]
OPEN = ["“", "\"", "‘", "'", "``", "«", "„", ""]
CLOSE = ["”", "\"", "’", "'", "''", "»", "“", ""]
SEPS = [" ", "  ", "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\r\r", "\n \n", "\t", " \u00a0"]
END = [".", "!", "?", ".”", ",”", "", "...", "?!", ".\""]


@st.composite
def phrases(draw) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)))


@st.composite
def news_sentence(draw) -> str:
    kind = draw(st.integers(0, 6))
    p, name, cue = draw(phrases()), draw(st.sampled_from(NAMES)), draw(st.sampled_from(CUES))
    o, c, end = draw(st.sampled_from(OPEN)), draw(st.sampled_from(CLOSE)), \
        draw(st.sampled_from(END))
    if kind == 0:
        return f"{o}{p},{c} {name} {cue}{end}"
    if kind == 1:
        return f"{name} {cue} {o}{p}{c}{end}"
    if kind == 2:
        return f"{name} {cue} that {p}{end}"
    if kind == 3:
        return f"{o}{p}{end}{c}"
    if kind == 4:
        return f"{name.upper()}: {p}{end}"
    if kind == 5:
        return f"{p.title()}"  # a headline-like line
    return f"{p} {o}{draw(phrases())}{c} {p}{end}"


@st.composite
def news_text(draw) -> str:
    parts = draw(st.lists(st.tuples(news_sentence(), st.sampled_from(SEPS)), min_size=0,
                          max_size=14))
    lead = draw(st.sampled_from(["", " ", "\n", "\r\n", "\ufeff"]))
    return lead + "".join(s + sep for s, sep in parts)


ANY_TEXT = st.one_of(
    news_text(),
    st.text(max_size=400),
    st.lists(st.sampled_from(list("“”‘’\"' .,!?\n\r\tAaSs-—()") + ["said ", "U.S. "]),
             max_size=150).map("".join),
)
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def check_contract(text: str, out: dict) -> None:
    """Invariants of one document's records (output of analyze_document)."""
    n = len(text)
    for key in SPANS:
        for rec in out[key]:
            assert 0 <= rec["start"] <= rec["end"] <= n, (key, rec)
            assert text[rec["start"]:rec["end"]] == rec["text"], (key, rec)
    for q in out["quotes"]:
        assert q["start"] < q["end"], q
        # parts: ordered, disjoint, inside start..end, the first and last at its edges
        parts = q["parts"]
        assert parts and parts[0][0] == q["start"] and parts[-1][1] == q["end"], q
        assert all(a < b for a, b in parts), q
        assert all(p[1] <= r[0] for p, r in zip(parts, parts[1:], strict=False)), q
        for a, b in (("speaker_start", "speaker_end"), ("cue_start", "cue_end")):
            if not _nan(q.get(a)):
                assert 0 <= q[a] <= q[b] <= n, q
    segs = out["segments"]
    pos = 0
    for seg in segs:
        assert seg["start"] == pos and seg["end"] > seg["start"], segs
        pos = seg["end"]
    assert pos == n, (pos, n)
    sents = out["sentences"]
    assert [s["sent_id"] for s in sents] == list(range(len(sents)))
    for a, b in zip(sents, sents[1:], strict=False):
        assert a["end"] <= b["start"], (a, b)
    analysed = [(s["start"], s["end"]) for s in segs if s["kind"] in ANALYSED_KINDS]
    for s in sents:
        assert s["start"] < s["end"]
        assert any(a <= s["start"] and s["end"] <= b for a, b in analysed), s
    assert out["document"]["text"] == text


@SETTINGS
@given(ANY_TEXT)
def test_analyze_document_contract(text):
    out = analyze_document(Document(doc_id="d", source="<t>", text=text, encoding="str"))
    check_contract(text, out)


@SETTINGS
@given(news_text())
def test_analyze_text_contract_and_json(text):
    res = analysis.analyze(text=text)
    assert res.errors.empty, res.errors.to_dict("records")
    data = json.loads(res.to_json())
    doc_text = data["documents"][0]["text"]
    assert doc_text == text
    for key in SPANS:
        for rec in data[key]:
            assert doc_text[rec["start"]:rec["end"]] == rec["text"]


def _per_doc(res, doc_id: str) -> dict[str, list[dict]]:
    out = {}
    for key in PER_DOC:
        df = getattr(res, key)
        df = df[df["doc_id"] == doc_id].drop(columns=["doc_id"])
        out[key] = json.loads(df.to_json(orient="records", force_ascii=False))
    return out


@SETTINGS
@given(ANY_TEXT, news_text(), news_text())
def test_alone_equals_inside_jsonl_corpus(text, before, after):
    alone = analysis.analyze(text=text)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in
                                    (("a", before), ("b", text), ("c", after))) + "\n",
                          encoding="utf-8")
        res = analysis.analyze(corpus)
    assert res.errors.empty, res.errors.to_dict("records")
    assert list(res.documents["doc_id"]) == ["corpus:a", "corpus:b", "corpus:c"]
    assert _per_doc(alone, "text") == _per_doc(res, "corpus:b")


_HTML_START = ("<html", "<!doctype")


@SETTINGS
@given(news_text(), news_text())
def test_alone_equals_inside_folder(text, other):
    text = text.lstrip("\ufeff")  # a BOM in a file is removed by design
    other = other.lstrip("\ufeff")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sub").mkdir()
        (folder / "a.txt").write_bytes(other.encode("utf-8"))
        (folder / "sub" / "b.txt").write_bytes(text.encode("utf-8"))
        alone = analysis.analyze(folder / "sub" / "b.txt")
        res = analysis.analyze(folder)
    assert list(res.documents["doc_id"]) == ["a", "b"]
    assert alone.text == text
    assert _per_doc(alone, "b") == _per_doc(res, "b")


@SETTINGS
@given(st.lists(news_text(), min_size=1, max_size=4))
def test_corpus_order_and_ids_stable(texts):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        corpus.write_text("\n".join(json.dumps({"text": t}) for t in texts) + "\n",
                          encoding="utf-8")
        res = analysis.analyze(corpus)
    assert list(res.documents["doc_id"]) == [f"c:{i}" for i in range(1, len(texts) + 1)]
    assert list(res.documents["text"]) == texts
