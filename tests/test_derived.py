"""Derived tables: identical to the direct computation with any number of jobs, reused from the
cache, and rebuilt (and reported) when a cached file is corrupt, stale or of another version."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from newslens import (actors, atomic, derived, dictionary, framing, keywords, overview, provenance, quotes, sentiment,
                      text, voices)
from newslens.corpus import document_text, load_corpus
from newslens.keywords.dtm import build_dtm
from newslens.render import provenance_html

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus_table(tmp_path_factory) -> Path:
    """The bundled corpus as a corpus table, in its own build folder."""
    folder = tmp_path_factory.mktemp("build")
    table = folder / "corpus.parquet"
    load_corpus(REPO / "corpus").to_parquet(table, index=False)
    return table


@pytest.fixture()
def table(corpus_table, tmp_path) -> Path:
    """A private copy of the corpus table (each test gets an empty cache)."""
    path = tmp_path / "corpus.parquet"
    path.write_bytes(corpus_table.read_bytes())
    return path


def _statuses(store) -> list[str]:
    return [e["status"] for e in store.events]


def test_chunked_parallel_tables_equal_the_direct_computation(table, monkeypatch):
    monkeypatch.setattr(derived, "CHUNK_ARTICLES", 9)  # 73 articles: 9 chunks over 2 worker processes
    store = derived.open_store(table, jobs=2, progress=False)
    df = store.corpus
    part = df[df["outlet"] == df["outlet"].value_counts().index[0]]

    direct = sentiment.sentence_tone(df)
    pd.testing.assert_frame_equal(store.sentences(df, scored_only=True)[direct.columns.tolist()], direct)
    split = framing.sentence_table(df).sort_values("id", kind="mergesort").reset_index(drop=True)
    pd.testing.assert_frame_equal(framing.sentence_table(df, split=store.sentences(df)), split)

    for docs in (df, part):
        want, got = build_dtm(docs, ngram_range=(1, 2)), store.dtm(docs, ngram_range=(1, 2))
        assert got.terms.tolist() == want.terms.tolist() and got.docs.tolist() == want.docs.tolist()
        assert got.matrix.dtype == want.matrix.dtype and (got.matrix != want.matrix).nnz == 0

    scheme = framing.load_scheme("generic")
    pd.testing.assert_frame_equal(
        framing.frame_scores(part, "generic", counts=store.counts(part, scheme.dictionary)),
        framing.frame_scores(part, "generic"),
    )
    pd.testing.assert_frame_equal(
        framing.frame_drivers(df, "generic", top=5, matches=store.matches(df, scheme.dictionary)),
        framing.frame_drivers(df, "generic", top=5),
    )
    sents = framing.sentence_table(df)
    pd.testing.assert_frame_equal(
        framing.frame_sentences(df, "policy", sentences=sents,
                                hits=store.sentence_matches(df, framing.load_scheme("policy").dictionary)),
        framing.frame_sentences(df, "policy", sentences=sents),
    )  # fmt: skip
    lexicon = sentiment.vader_lexicon_dictionary()
    pd.testing.assert_frame_equal(
        sentiment.dictionary_tone(df, lexicon, counts=store.counts(df, lexicon, negation=3, part="text")),
        sentiment.dictionary_tone(df, lexicon),
    )
    pd.testing.assert_frame_equal(store.mentions(df, None, rollup=True), actors.mentions(direct, None, rollup=True))
    pd.testing.assert_frame_equal(overview.word_counts(df, token_counts=store.tokens(df)), overview.word_counts(df))
    pd.testing.assert_frame_equal(
        keywords.term_frequency(df, ["red line*", "nato"], token_counts=store.tokens(df)),
        keywords.term_frequency(df, ["red line*", "nato"]),
    )
    for docs in (df, part):
        pd.testing.assert_frame_equal(keywords.collocations(docs, counts=store.pair_counts(docs)),
                                      keywords.collocations(docs))
    dtm = store.dtm(df, ngram_range=(1, 2))
    pd.testing.assert_frame_equal(keywords.keyness(df, ngram_range=(1, 2), dtm=dtm),
                                  keywords.keyness(df, ngram_range=(1, 2)))
    pd.testing.assert_frame_equal(keywords.period_keyness(df, ngram_range=(1, 2), dtm=dtm),
                                  keywords.period_keyness(df, ngram_range=(1, 2)))
    a, b = df["outlet"].value_counts().index[:2]
    pd.testing.assert_frame_equal(keywords.log_odds(df, "outlet", a, b, ngram_range=(1, 2), dtm=dtm),
                                  keywords.log_odds(df, "outlet", a, b, ngram_range=(1, 2)))


def test_quotes_speech_tone_and_topics_equal_the_direct_computation(table, monkeypatch):
    monkeypatch.setattr(derived, "CHUNK_ARTICLES", 9)
    store = derived.open_store(table, jobs=2, progress=False)
    df = store.corpus
    part = df[df["outlet"] == df["outlet"].value_counts().index[0]]
    for docs in (df, part):
        direct = quotes.extract(docs)
        cached = store.quotes(docs)
        assert len(direct) > 20
        pd.testing.assert_frame_equal(cached.drop(columns="words"), direct)
        words = [len(text.tokens(q)) for q in direct["quote"]]  # what label_quotes counts without the cache
        assert cached["words"].tolist() == words
        pd.testing.assert_frame_equal(voices.label_quotes(cached, docs), voices.label_quotes(direct, docs))
        pd.testing.assert_frame_equal(store.speech_tone(docs), voices.speech_tone(docs, direct))
    # all sentences (as report 40 counted them) name the same actors as the tone sentences
    everything = text.split_sentences(df)
    pd.testing.assert_frame_equal(store.mentions(df, None, rollup=True), actors.mentions(everything, None, rollup=True))

    fitted = framing.fit_topics(part, k=3, seed=1)
    again = derived.open_store(table, jobs=1)
    for model in (store.topics(part, k=3, seed=1), again.topics(part, k=3, seed=1)):
        for name in ("terms", "documents", "dominant"):
            pd.testing.assert_frame_equal(getattr(model, name), getattr(fitted, name))
        assert model.reconstruction_error == fitted.reconstruction_error and (model.k, model.seed) == (3, 1)
    assert [e["status"] for e in again.events if e["table"].startswith("topics")] == ["hit"] * 4
    assert len(store.topics(df, k=3, seed=1).documents) == 3 * len(df)  # other articles: a model of their own
    assert len(store.topics(part, k=3, seed=2).documents) == len(fitted.documents)
    assert sum(e["table"].startswith("topics-fit") and e["status"] == "built" for e in store.events) == 3


def test_quotes_and_speech_tone_from_the_sentence_table_equal_splitting_again(tmp_path):
    """Quotes and speech tone take the body sentences (spans and VADER scores) of the sentence
    table: the same rows as splitting and scoring again, where the body has leading whitespace,
    runs of spaces, hard-wrapped lines, curly apostrophes and quotes touching a sentence."""
    df = pd.DataFrame({
        "id": ["a", "b", "c", "d", "e"],
        "title": ["Talks", "", "Nuclear  threat", "", ""],
        "text": [
            "  \n “It is a disaster,” Lavrov said.  Talks went  well.\n\nMr.  Blinken said the deal was good.",
            "Zelensky’s team said it wouldn’t  back down.\nThe Kremlin   warned: “Red lines are real.”",
            "“This is a hostile moment,” Scholz said near Kharkiv. Putin discussed the front\nline with Germany.",
            None,
            "\t“Never,” she said. “We will not go back,” the minister added, “ever.” No one spoke.   ",
        ],
    })
    store = derived.Store(df, tmp_path / "d", jobs=1, progress=False)
    sents = store.sentences(df)
    title, body = (p.tolist() for p in derived.document_parts(df))
    for row in sents.itertuples():
        source = (title if row.part == "title" else body)["abcde".index(row.id)]
        assert " ".join(source[row.start : row.end].split()) == row.sentence  # exact spans, spaces collapsed
    spaced = sents[sents["sentence"] == "Talks went well."]
    assert spaced["end"].iloc[0] - spaced["start"].iloc[0] == len("Talks went  well.")
    direct = quotes.extract(df)
    assert len(direct) >= 5
    pd.testing.assert_frame_equal(store.quotes(df).drop(columns="words"), direct, check_exact=True)
    pd.testing.assert_frame_equal(store.speech_tone(df), voices.speech_tone(df, direct), check_exact=True)


def test_frame_examples_kwic_and_term_hits_equal_the_direct_computation(table, monkeypatch):
    monkeypatch.setattr(derived, "CHUNK_ARTICLES", 9)
    store = derived.open_store(table, jobs=2, progress=False)
    df = store.corpus
    part = df[df["outlet"] == df["outlet"].value_counts().index[0]]
    terms = ["red line*", "escalat*", "nuclear"]
    for docs in (df, part):
        scheme = framing.load_scheme("generic")
        direct = framing.frame_examples(framing.frame_sentences(docs, scheme), n=2)  # splits the texts itself
        assert len(direct) > 5
        pd.testing.assert_frame_equal(store.frame_examples(docs, "generic", n=2), direct)
        hits = keywords.kwic(docs, '"red line*" OR strike*', window=8)
        cached = store.kwic(docs, '"red line*" OR strike*', window=8)
        assert len(hits) > 5
        pd.testing.assert_frame_equal(cached, hits)
        assert cached.attrs == hits.attrs
        counted = store.term_hits(docs, terms)
        by_hand = [sum(len(keywords.kwic(docs.iloc[[i]], f'"{t}"', max_per_article=None)) for i in range(len(docs)))
                   for t in terms]  # the concordance's hits of each term, counted one article at a time
        assert counted.groupby("term", sort=False)["hits"].sum().tolist() == by_hand
        pd.testing.assert_frame_equal(
            keywords.term_frequency(docs, terms, hit_counts=counted, token_counts=store.tokens(docs)),
            keywords.term_frequency(docs, terms))
    again = derived.open_store(table, jobs=1)  # a later report: read from the cache, equal
    pd.testing.assert_frame_equal(again.frame_examples(part, "generic", n=2), store.frame_examples(part, "generic", n=2))
    pd.testing.assert_frame_equal(again.kwic(part, "nuclear"), keywords.kwic(part, "nuclear", window=5))
    assert {e["status"] for e in again.events if e["table"].startswith("frame-examples")} == {"hit"}
    assert len(store.frame_examples(part, "generic", n=1)) < len(store.frame_examples(part, "generic", n=2))


def test_one_job_and_two_jobs_give_identical_files(table, tmp_path, monkeypatch):
    monkeypatch.setattr(derived, "CHUNK_ARTICLES", 20)
    other = tmp_path / "other" / "corpus.parquet"
    other.parent.mkdir()
    other.write_bytes(table.read_bytes())
    for path, jobs in ((table, 1), (other, 2)):
        store = derived.open_store(path, jobs=jobs, progress=False)
        store.sentences(store.corpus)
        store.dtm(store.corpus, ngram_range=(1, 2))
    for name in ("sentences", "dtm"):
        (one,) = (table.parent / "derived").glob(f"{name}-*.json")
        two = other.parent / "derived" / one.name
        assert json.loads(one.read_text())["files"] == json.loads(two.read_text())["files"]


def test_second_store_hits_the_cache_with_the_same_tables(table):
    first = derived.open_store(table, jobs=1, progress=False)
    built = first.sentences(first.corpus)
    first_dtm = first.dtm(first.corpus)
    assert _statuses(first) == ["built", "built"]
    second = derived.open_store(table, jobs=1, progress=False)
    pd.testing.assert_frame_equal(second.sentences(second.corpus), built)
    again = second.dtm(second.corpus)
    assert (again.matrix != first_dtm.matrix).nnz == 0 and again.terms.tolist() == first_dtm.terms.tolist()
    assert _statuses(second) == ["hit", "hit"]


def _only(folder: Path, pattern: str) -> Path:
    (path,) = folder.glob(pattern)
    return path


def test_corrupt_file_is_detected_rebuilt_and_reported(table, capsys):
    store = derived.open_store(table, jobs=1, progress=False)
    good = store.tokens(store.corpus)
    parquet = _only(table.parent / "derived", "tokens-*.parquet")
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte: the file may still parse, but its checksum differs
    parquet.write_bytes(bytes(data))
    again = derived.open_store(table, jobs=1, progress=False)
    pd.testing.assert_frame_equal(again.tokens(again.corpus), good)
    (event,) = again.events
    assert event["status"] == "rebuilt" and event["reason"].startswith("corrupt: checksum")
    assert "tokens rebuilt (corrupt" in capsys.readouterr().err
    third = derived.open_store(table, jobs=1, progress=False)  # the rebuilt file is good again
    third.tokens(third.corpus)
    assert _statuses(third) == ["hit"]


def test_file_with_another_schema_is_rebuilt_even_with_a_matching_checksum(table):
    store = derived.open_store(table, jobs=1, progress=False)
    good = store.tokens(store.corpus)
    parquet = _only(table.parent / "derived", "tokens-*.parquet")
    good.drop(columns="title_tokens").to_parquet(parquet, index=False)
    sidecar = parquet.with_suffix(".json")
    meta = json.loads(sidecar.read_text())
    meta["files"][".parquet"] = atomic.file_sha256(parquet)  # a consistent checksum: only the schema is off
    sidecar.write_text(json.dumps(meta))
    again = derived.open_store(table, jobs=1, progress=False)
    pd.testing.assert_frame_equal(again.tokens(again.corpus), good)
    assert again.events[0]["status"] == "rebuilt" and again.events[0]["reason"] == "corrupt: schema differs"


def test_corrupt_matrix_is_rebuilt(table):
    store = derived.open_store(table, jobs=1, progress=False)
    good = store.dtm(store.corpus)
    _only(table.parent / "derived", "dtm-*.npz").write_bytes(b"not a matrix")
    again = derived.open_store(table, jobs=1, progress=False)
    assert (again.dtm(again.corpus).matrix != good.matrix).nnz == 0
    assert again.events[0]["status"] == "rebuilt" and "checksum" in again.events[0]["reason"]


def test_changed_corpus_and_new_version_invalidate(table, monkeypatch):
    store = derived.open_store(table, jobs=1, progress=False)
    store.tokens(store.corpus)
    df = store.corpus.copy()
    df.loc[0, "text"] = df.loc[0, "text"] + " One more sentence about the alliance."
    df.to_parquet(table, index=False)
    changed = derived.open_store(table, jobs=1, progress=False)
    counts = changed.tokens(changed.corpus)
    assert changed.events[0].pop("seconds") >= 0
    assert changed.events[0] == {"table": "tokens", "status": "rebuilt", "reason": "stale: the corpus changed"}
    first_id = df.loc[0, "id"]
    assert counts.set_index("id").loc[first_id, "text_tokens"] == len(
        __import__("newslens.text", fromlist=["tokens"]).tokens(df.loc[0, "text"]))
    monkeypatch.setattr(derived, "ANALYSIS_VERSION", derived.ANALYSIS_VERSION + 1)
    bumped = derived.open_store(table, jobs=1, progress=False)
    bumped.tokens(bumped.corpus)
    assert bumped.events[0]["reason"] == f"stale: analysis version {derived.ANALYSIS_VERSION - 1} " \
                                         f"(now {derived.ANALYSIS_VERSION})"


def test_corpus_hash_is_remembered_and_renewed_when_the_file_changes(table):
    folder = table.parent / "derived"
    df = load_corpus(table)
    sha = provenance.corpus_sha256(df, table, folder)
    from newslens.provenance import table_hash

    assert sha == table_hash(df)
    memo = json.loads((folder / "corpus.json").read_text())
    assert memo["sha256"] == sha
    smaller = df.iloc[1:]
    smaller.to_parquet(table, index=False)
    assert provenance.corpus_sha256(smaller, table, folder) == table_hash(smaller) != sha


def test_subsets_and_parameters_reuse_the_tables(table):
    store = derived.open_store(table, jobs=1, progress=False)
    df = store.corpus
    one = df[df["outlet"] == df["outlet"].iloc[0]]
    store.dtm(df, ngram_range=(1, 2))
    store.dtm(one, ngram_range=(1, 2))  # another subset: the same matrix, no new event
    store.dtm(one, ngram_range=(1, 1))  # another n-gram range: a table of its own
    assert [e["table"] for e in store.events] == ["dtm (ngram_range=[1, 2])", "dtm (ngram_range=[1, 1])"]


def test_events_are_logged_for_the_provenance_block(table, tmp_path):
    log_dir = tmp_path / "staging"
    store = derived.open_store(table, jobs=1, progress=False, log_dir=log_dir)
    store.tokens(store.corpus)
    derived.open_store(table, jobs=1, progress=False, log_dir=log_dir).tokens(store.corpus)
    from newslens.pipeline import derived_events

    events = derived_events(log_dir)
    assert events == [{"table": "tokens", "status": "hit", "reason": ""}]
    page = provenance_html({"run_at": "t", "corpus": "c", "fingerprint": {"articles": 1, "outlets": 1, "first": "",
                            "last": "", "sha256": "x"}, "parameters": {}, "versions": {}, "commit": "c",
                            "derived": events + [{"table": "dtm", "status": "rebuilt", "reason": "corrupt: <x>"}]})
    assert "tokens: cache hit; dtm: rebuilt (corrupt: &lt;x&gt;)" in page


def test_progress_bar_on_stderr_and_none_when_switched_off(table, monkeypatch, capsys):
    monkeypatch.setattr(derived, "CHUNK_ARTICLES", 10)
    derived.open_store(table, jobs=1, progress=True).tokens(load_corpus(table))
    assert "tokens" in capsys.readouterr().err
    monkeypatch.setenv(derived.PROGRESS_ENV, "0")
    other = table.parent / "again" / "corpus.parquet"
    other.parent.mkdir()
    other.write_bytes(table.read_bytes())
    derived.open_store(other, jobs=1, progress=True).tokens(load_corpus(other))
    assert capsys.readouterr().err == ""


def test_jobs_values():
    assert derived.resolve_jobs("auto") >= 1 and derived.resolve_jobs("3") == 3
    for bad in (0, "many", True, -1):
        with pytest.raises(ValueError, match="jobs must be"):
            derived.resolve_jobs(bad)


def test_dictionary_change_gives_another_table(table):
    store = derived.open_store(table, jobs=1, progress=False)
    df = store.corpus
    a = dictionary.Dictionary.from_mapping({"war": ["war*"]}, name="d")
    b = dictionary.Dictionary.from_mapping({"war": ["war*", "strike*"]}, name="d")
    wide = document_text(df)
    assert store.counts(df, a)["count"].sum() == sum(dictionary.count(a, df[["id"]].assign(text=wide))["count"])
    assert store.counts(df, b)["count"].sum() > store.counts(df, a)["count"].sum()
    # frame-style counts (no negation) come from the hits and the token counts: one table per dictionary
    assert [e["table"].split(" ")[0] for e in store.events] == ["matches", "tokens", "matches"]
    assert np.all([e["status"] == "built" for e in store.events])
    with_negation = store.counts(df, a, negation=3)
    assert store.events[-1]["table"].startswith("counts") and len(with_negation) == 2 * len(df)  # war, neg_war


def test_unwritable_cache_folder_still_gives_the_tables(table, capsys):
    (table.parent / "derived").write_text("a file where the cache folder should be")  # writes fail, as read-only
    store = derived.open_store(table, jobs=1, progress=False)
    want = overview.word_counts(store.corpus)
    assert overview.word_counts(store.corpus, token_counts=store.tokens(store.corpus)).equals(want)
    assert "derived table tokens not cached" in capsys.readouterr().err


def test_stores_side_by_side_build_a_table_once(table, monkeypatch):
    """Two reports running at once (two stores of one corpus) build a shared table once: the
    second waits on the table's lock and reads the first one's file."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    calls, real = [], derived.token_chunk

    def slow(docs):
        calls.append(threading.get_ident())
        time.sleep(0.5)  # long enough for the other store to ask for the table meanwhile
        return real(docs)

    monkeypatch.setattr(derived, "token_chunk", slow)
    stores = [derived.open_store(table, jobs=1, progress=False) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(lambda store: store.tokens(store.corpus), stores))
    assert len(calls) == 1
    pd.testing.assert_frame_equal(got[0], got[1])
    assert sorted(_statuses(stores[0]) + _statuses(stores[1])) == ["built", "hit"]


def test_remembered_tables_are_computed_once_per_articles_inputs_and_arguments(table):
    # A table kept by remember comes back from a later store exactly (dtypes, attrs); another
    # argument, another set of articles or other dictionary content computes it again.
    calls = []

    def shares(docs, by, *, weight="n"):
        calls.append((len(docs), by, weight))
        out = docs.groupby(by, as_index=False).size().assign(weight=weight, share=lambda t: t["size"] / len(docs))
        out.attrs["articles"] = len(docs)
        return out

    store = derived.open_store(table, jobs=1, progress=False)
    df = store.corpus
    part = df[df["outlet"] == df["outlet"].value_counts().index[0]]
    bundled = actors.as_actors()
    first = store.remember(shares, df, "outlet", docs=df, inputs={"actors": bundled})
    assert first.attrs == {"articles": len(df)} and first["share"].sum() == pytest.approx(1.0)
    again = derived.open_store(table, jobs=1)
    kept = again.remember(shares, df, "outlet", docs=df, inputs={"actors": actors.as_actors()})  # same content
    pd.testing.assert_frame_equal(kept, first, check_exact=True)
    assert kept.attrs == first.attrs and calls == [(len(df), "outlet", "n")]
    assert [e["status"] for e in again.events if e["table"].startswith("kept-")] == ["hit"]
    again.remember(shares, df, "outlet", weight="words", docs=df, inputs={"actors": bundled})
    again.remember(shares, part, "outlet", docs=part, inputs={"actors": bundled})
    changed = dictionary.Dictionary.from_mapping({"Russia": ["russia*"]}, name=bundled.name)
    again.remember(shares, df, "outlet", docs=df, inputs={"actors": changed})
    assert calls[1:] == [(len(df), "outlet", "words"), (len(part), "outlet", "n"), (len(df), "outlet", "n")]


def test_remember_refuses_what_it_cannot_key_or_keep(table):
    store = derived.open_store(table, jobs=1, progress=False)
    df = store.corpus
    with pytest.raises(TypeError, match="cannot key an argument of type object"):
        store.remember(lambda d, o: d, df, object(), docs=df)
    with pytest.raises(TypeError, match="returned int, not a DataFrame"):
        store.remember(len, df, docs=df)
    with pytest.raises(ValueError, match="without a default index"):
        store.remember(lambda d: d.set_index("id"), df, docs=df)


def test_a_tables_seconds_leave_out_the_tables_it_looked_up(tmp_path):
    """A table computed inside another's computation (frame examples build the sentence matches)
    counts its seconds once: the outer table's seconds are its own."""
    import time

    df = pd.DataFrame({"id": ["a", "b"], "title": ["", ""], "text": ["One.", "Two."]})
    store = derived.Store(df, tmp_path / "d", jobs=1, progress=False)

    def inner():
        time.sleep(0.4)
        return df[["id"]]

    def outer():
        store._cached_frame("inner", {}, inner)
        time.sleep(0.2)
        return df[["id"]]

    store._cached_frame("outer", {}, outer)
    seconds = {e["table"]: e["seconds"] for e in store.events}
    assert list(seconds) == ["inner", "outer"]
    assert seconds["inner"] >= 0.4 and 0.2 <= seconds["outer"] < 0.4
