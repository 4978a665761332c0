import io
import json

import pytest

from analysis.load import Document, LoadError, LoadFailure, decode_bytes, html_to_text, load


def test_txt_and_md(tmp_path):
    (tmp_path / "a.txt").write_text("Hello world.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nBody.", encoding="utf-8")
    docs, failures = load(tmp_path)
    assert [d.doc_id for d in docs] == ["a", "b"] and not failures
    assert docs[0].text == "Hello world." and docs[0].encoding == "utf-8"


@pytest.mark.parametrize("raw, encoding, text, warns", [
    ("Iran’s offer".encode(), "utf-8", "Iran’s offer", 0),
    (b"\xef\xbb\xbf" + "Iran’s offer".encode(), "utf-8-sig", "Iran’s offer", 1),
    ("Iran’s offer".encode("cp1252"), "cp1252", "Iran’s offer", 1),
    (b"caf\xe9 \x81", "latin-1", "café \x81", 1),
])
def test_encoding_fallbacks(raw, encoding, text, warns):
    got, enc, warnings = decode_bytes(raw)
    assert (got, enc, len(warnings)) == (text, encoding, warns)


def test_cp1252_file_records_warning(tmp_path):
    (tmp_path / "w.txt").write_bytes("“Quoted” text".encode("cp1252"))
    docs, _ = load(tmp_path / "w.txt")
    assert docs[0].encoding == "cp1252" and docs[0].text == "“Quoted” text"
    assert any("cp1252" in w for w in docs[0].warnings)


def test_html_drops_scripts_styles_navigation(tmp_path):
    page = ("<html><head><title>Page &amp; Title</title><style>p{}</style></head><body>"
            "<nav>Home | World</nav><script>alert('x')</script>"
            "<article><h1>Headline</h1><p>First <b>para</b>.</p><p>Second &lt;para&gt;.</p>"
            "</article><footer>© 2014</footer></body></html>")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    docs, _ = load(tmp_path / "p.html")
    d = docs[0]
    assert d.title == "Page & Title"
    assert d.text == "Headline\n\nFirst para.\n\nSecond <para>.\n"
    assert "alert" not in d.text and "Home" not in d.text and "©" not in d.text
    assert any("script" in w for w in d.warnings)


def test_html_unclosed_script_does_not_leak():
    text, _, _ = html_to_text("<p>Good.</p><script>var a = '<p>bad</p>';")
    assert text == "Good.\n"


def test_csv_corpus_with_bad_row(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text('id,outlet,text\n1,Times,"First text."\n2,Post\n3,Sun,"Third, text."\n',
                 encoding="utf-8")
    docs, failures = load(p)
    assert [d.doc_id for d in docs] == ["c:1", "c:3"]
    assert docs[0].meta == {"outlet": "Times"}
    assert len(failures) == 1 and "line 3" in failures[0].error


def test_jsonl_corpus_custom_columns_and_bad_line(tmp_path):
    p = tmp_path / "c.jsonl"
    rows = [json.dumps({"url": "u1", "body": "One.", "date": "2014-06-16"}), "{not json",
            json.dumps({"url": "u2", "body": "Two.", "title": "T"}), json.dumps([1, 2])]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    docs, failures = load(p, text_column="body", id_column="url")
    assert [(d.doc_id, d.text, d.title) for d in docs] == [("c:u1", "One.", None),
                                                          ("c:u2", "Two.", "T")]
    assert docs[0].meta == {"date": "2014-06-16"}
    assert [f.error.split(":")[0] for f in failures] == ["line 2", "line 4"]


def test_folder_recursion_bad_file_does_not_stop_others(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.txt").write_text("Fine text.", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    docs, failures = load(tmp_path)
    assert [d.doc_id for d in docs] == ["empty", "good"]
    assert any("empty document" in w for w in docs[0].warnings)
    assert [f.error for f in failures] == ["binary file, not text (skipped)"]


def test_missing_path_raises_load_error(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load(tmp_path / "missing.txt")


def test_stdin_and_duplicate_ids(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    docs, _ = load(["-", tmp_path / "a.txt", tmp_path / "a.txt"], stdin=io.BytesIO(b"From stdin."))
    assert [d.doc_id for d in docs] == ["stdin", "a", "a-2"]
    assert docs[0].text == "From stdin." and docs[0].source == "<stdin>"


def test_size_limit_is_a_failure_not_a_crash(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 1000, encoding="utf-8")
    docs, failures = load(tmp_path / "big.txt", max_bytes=100)
    assert not docs and "larger than the limit" in failures[0].error


def test_document_and_failure_types():
    assert Document("a", "s", "t").warnings == []
    assert LoadFailure("s", "e").error == "e"
