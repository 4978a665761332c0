"""TableBuilder: the tables it builds equal ``_frame`` over all records, whichever way the
records arrive (one by one, or packed in batches by pool workers and merged)."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from analysis.result import TABLE_KEYS, TableBuilder, _frame

# One value per document for each extra column of the "quotes" table: every kind of column
# the builder converts on its own (pure types) and the ones it leaves to pandas (mixed).
COLUMN_VALUES = {
    "pure_int": [3, 4, 5, 6],
    "int_and_none": [3, None, 5, 6],
    "all_none": [None, None, None, None],
    "pure_float": [0.5, -0.25, 0.0, 1.0],
    "float_and_none": [0.5, None, 0.0, 1.0],
    "int_and_float": [1, 0.5, 2, 3],
    "bools": [True, False, True, True],
    "strings": ["a", "b", "c", "d"],
    "str_and_none": ["a", None, "c", None],
    "str_and_int": ["a", 1, "c", 2],
    "lists": [[1], [], [2, 3], [4]],
    "lists_and_none": [[1], None, [], [4]],
    "dicts": [{"a": 1}, {}, {"b": 2}, {"c": 3}],
    "huge_int": [2**70, 1, 2, 3],
}
# the same kinds in integer-offset columns (converted to Int64)
INT_COLUMN_VALUES = {
    "start": [0, 5, 10, 15],
    "speaker_start": [None, 5, None, 15],
    "cue_start": [None, None, None, None],
}


def _results(values: dict[str, list], *, n_docs: int = 4, quotes_per_doc: int = 2
             ) -> list[dict]:
    results = []
    for d in range(n_docs):
        quotes = [{"doc_id": f"d{d}", "quote_id": q,
                   **{name: vals[d] for name, vals in values.items()}}
                  for q in range(quotes_per_doc)]
        results.append({"document": {"doc_id": f"d{d}", "text": "x", "n_words": d},
                        "quotes": quotes,
                        "sentences": [{"doc_id": f"d{d}", "sent_id": 0, "compound": 0.1 * d}]})
    results.insert(2, {"error": {"source": "bad.txt", "error": "bad.txt: broken"}})
    return results


def _reference(results: list[dict]) -> dict[str, pd.DataFrame]:
    rows: dict[str, list] = {k: [] for k in TABLE_KEYS}
    for res in results:
        if "error" in res:
            rows["errors"].append(res["error"])
            continue
        rows["documents"].append(res["document"])
        for key in TABLE_KEYS[1:-1]:
            rows[key].extend(res.get(key, []))
    return {k: _frame(v, k) for k, v in rows.items()}


def _one_by_one(results: list[dict]) -> dict[str, pd.DataFrame]:
    builder = TableBuilder()
    for res in results:
        builder.add(res)
    return builder.build()


def _packed(results: list[dict], size: int) -> dict[str, pd.DataFrame]:
    builder = TableBuilder()
    for i in range(0, len(results), size):
        part = TableBuilder()
        for res in results[i:i + size]:
            part.add(res)
        builder.merge(pickle.loads(pickle.dumps(part.pack())))  # as sent by a worker
    assert builder.n_results == len(results)
    return builder.build()


def _assert_same(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    assert list(got) == list(want)
    for key in want:
        pd.testing.assert_frame_equal(got[key], want[key], check_exact=True, obj=key)
        assert list(got[key].dtypes) == list(want[key].dtypes), key


@pytest.mark.parametrize("name", sorted({**COLUMN_VALUES, **INT_COLUMN_VALUES}))
@pytest.mark.parametrize("how", ["one_by_one", "packed_1", "packed_2", "packed_all"])
def test_each_column_kind_typed_as_from_records(name, how):
    values = {name: {**COLUMN_VALUES, **INT_COLUMN_VALUES}[name]}
    results = _results(values)
    want = _reference(results)
    got = (_one_by_one(results) if how == "one_by_one"
           else _packed(results, {"packed_1": 1, "packed_2": 2, "packed_all": 99}[how]))
    _assert_same(got, want)


def test_all_column_kinds_together_and_the_expected_dtypes():
    results = _results({**COLUMN_VALUES, **INT_COLUMN_VALUES})
    got = _packed(results, 2)
    _assert_same(got, _reference(results))
    quotes = got["quotes"]
    assert str(quotes["start"].dtype) == "Int64" and str(quotes["cue_start"].dtype) == "Int64"
    assert quotes["speaker_start"].isna().sum() == 4
    assert quotes["pure_float"].dtype == "float64" and quotes["pure_int"].dtype == "int64"
    assert quotes["huge_int"].iloc[0] == 2**70  # beyond 64 bits: kept exact
    # contract columns no record has come last, all missing (offsets still Int64)
    assert list(quotes.columns[:3]) == ["doc_id", "quote_id", "start"]
    assert quotes.columns[-1] == "n_words" and str(quotes["n_words"].dtype) == "Int64"
    assert quotes["n_words"].isna().all() and quotes["kind"].isna().all()


@pytest.mark.parametrize("how", ["one_by_one", "packed_1", "packed_3"])
def test_records_with_different_keys_fall_back_to_from_records(how):
    results = _results({"strings": COLUMN_VALUES["strings"]})
    results[3]["quotes"][1]["late"] = 7  # a key only one record has
    results[4]["quotes"][0] = {k: v for k, v in results[4]["quotes"][0].items()
                               if k != "strings"}  # a record without a key
    results[1]["quotes"] = [dict(reversed(list(q.items()))) for q in results[1]["quotes"]]
    want = _reference(results)
    got = (_one_by_one(results) if how == "one_by_one"
           else _packed(results, int(how[-1])))
    _assert_same(got, want)
    assert "late" in got["quotes"].columns


def test_empty_and_error_only_runs():
    assert all(len(df) == 0 for df in _one_by_one([]).values())
    only_errors = [{"error": {"source": "a", "error": "a: bad"}}]
    _assert_same(_packed(only_errors, 1), _reference(only_errors))


def test_records_without_keys_are_left_to_from_records():
    results = [{"document": {"doc_id": "a"}, "candidates": [{}, {}]}]
    want = _reference(results)
    _assert_same(_one_by_one(results), want)
    _assert_same(_packed(results, 1), want)
    assert list(want["candidates"].columns) == ["doc_id", "name", "count", "start"]
