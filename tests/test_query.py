"""The query language: parsing, errors with positions, and matching against an independent oracle."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from newslens.query import Not, QuerySyntaxError, Term, candidates, mask, parse, phrase, prefilter
from newslens.text import TOKEN_PATTERN, tokens


def words(node) -> object:
    """Compact view of a syntax tree: Term -> its patterns, operators -> (name, children...)."""
    if isinstance(node, Term):
        return " ".join(node.patterns)
    if isinstance(node, Not):
        return ("NOT", words(node.operand))
    return (type(node).__name__.upper(), *(words(c) for c in node.operands))


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("nato", "nato"),
        ("escalat*", "escalat*"),
        ('"red line"', "red line"),
        ('"red line*"', "red line*"),
        ("red line*", ("AND", "red", "line*")),
        ("a b OR c", ("OR", ("AND", "a", "b"), "c")),
        ("a OR b c", ("OR", "a", ("AND", "b", "c"))),
        ("a AND (b OR c)", ("AND", "a", ("OR", "b", "c"))),
        ("NOT a b", ("AND", ("NOT", "a"), "b")),
        ("a AND NOT (b OR c)", ("AND", "a", ("NOT", ("OR", "b", "c")))),
        ("NATO and Kyiv", ("AND", "nato", "and", "kyiv")),  # lower-case "and" is a word
        ("U.S. putin’s", ("AND", "u.s", "putin's")),  # query words tokenised like the text
        ("long-range*", "long-range*"),
        ('"Putin said:"', "putin said"),
    ],
)
def test_parse_trees(query, tree):
    assert words(parse(query).root) == tree


@pytest.mark.parametrize(
    ("query", "position", "reason"),
    [
        ("red AND", 7, "after 'AND'"),
        ("(nato", 0, "never closed"),
        ('"unclosed', 0, "unclosed quote"),
        ('nato "unclosed', 5, "unclosed quote"),
        ("OR nato", 0, "before it"),
        ("nato)", 4, "unmatched ')'"),
        ("red AND OR nato", 8, "found 'OR'"),
        ("NOT", 3, "after 'NOT'"),
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ('""', 0, "empty phrase"),
        ("()", 0, "empty parentheses"),
        ("es*cal", 2, "wildcard"),
        ("*", 0, "wildcard"),
        ("nato AND ?!", 9, "no letters"),
        ("(a OR b", 0, "never closed"),
        ("a (b OR c", 2, "never closed"),
    ],
)
def test_syntax_errors_point_at_the_position(query, position, reason):
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.position == position
    assert reason in str(err)
    lines = str(err).splitlines()
    assert lines[1] == f"  {query}"
    assert lines[2] == "  " + " " * position + "^"


def test_phrase_helper_rejects_query_syntax():
    assert phrase("Red  line*").positive_terms[0].patterns == ("red", "line*")
    for bad in ('"red"', "red OR blue", "(red)"):
        with pytest.raises(QuerySyntaxError):
            phrase(bad)


def test_positive_terms_skip_negated_ones():
    q = parse('("red line*" OR escalat*) AND NOT (nato OR NOT kyiv)')
    assert [t.text for t in q.positive_terms] == ['"red line*"', "escalat*", "kyiv"]
    assert [t.text for t in q.terms] == ['"red line*"', "escalat*", "nato", "kyiv"]


def frame(titles, texts, index=None) -> pd.DataFrame:
    return pd.DataFrame({"title": titles, "text": texts}, index=index)


def test_mask_semantics_by_hand():
    df = frame(
        ["Red lines", "Escalation", "", "NATO summit"],
        ["Putin’s warning", "NATO warns of escalating strikes", "a red flag on the line", "Red-line talk"],
        index=[10, 20, 30, 40],
    )
    assert mask(df, '"red line*"').tolist() == [True, False, False, False]
    assert mask(df, "red line*").tolist() == [True, False, True, False]  # both words anywhere
    assert mask(df, "escalat* AND NOT nato").tolist() == [False, False, False, False]
    assert mask(df, "escalat* OR red-line").tolist() == [False, True, False, True]
    assert mask(df, "putin's").tolist() == [True, False, False, False]  # curly apostrophe in the text
    assert mask(df, "NOT nato").tolist() == [True, False, True, False]
    assert list(mask(df, "nato").index) == [10, 20, 30, 40]
    # A phrase does not run from the title into the body.
    assert mask(frame(["Putin draws a red"], ["line in the sand"]), '"red line"').tolist() == [False]


VOCAB = ["red", "line", "lines", "nato", "escalation", "escalate", "kyiv", "strike", "strikes", "peace"]


def random_docs(rng, n) -> pd.DataFrame:
    def sentence():
        k = int(rng.integers(0, 9))
        ws = [str(rng.choice(VOCAB)) for _ in range(k)]
        return " ".join(w.upper() if rng.random() < 0.2 else w for w in ws) + ("." if k else "")

    return frame([sentence() for _ in range(n)], [sentence() + " " + sentence() for _ in range(n)])


def random_query(rng, depth=0):
    """A query string and an oracle over the space-joined tokens of each field."""
    r = rng.random()
    if depth > 2 or r < 0.45:
        k = int(rng.integers(1, 3))
        pats = []
        for _ in range(k):
            w = str(rng.choice(VOCAB))
            pats.append(w[: int(rng.integers(2, len(w) + 1))] + "*" if rng.random() < 0.3 else w)
        rx = re.compile(r"(?<!\S)" + " ".join(re.escape(p[:-1]) + r"\S*" if p.endswith("*") else re.escape(p) for p in pats) + r"(?!\S)")
        text = pats[0] if k == 1 else '"' + " ".join(pats) + '"'
        return text, lambda fields: any(rx.search(f) for f in fields)
    if r < 0.6:
        text, fn = random_query(rng, depth + 1)
        return f"NOT ({text})", lambda fields: not fn(fields)
    left, lf = random_query(rng, depth + 1)
    right, rf = random_query(rng, depth + 1)
    if r < 0.8:
        return f"({left}) OR ({right})", lambda fields: lf(fields) or rf(fields)
    op = " AND " if rng.random() < 0.5 else " "
    return f"({left}){op}({right})", lambda fields: lf(fields) and rf(fields)


def test_mask_equals_independent_oracle_and_candidates_are_a_superset():
    rng = np.random.default_rng(11)
    df = random_docs(rng, 80)
    fields = [(" ".join(tokens(a)), " ".join(tokens(b))) for a, b in zip(df.title, df.text)]
    bounds_used = 0
    for _ in range(150):
        query, oracle = random_query(rng)
        got = mask(df, query).to_numpy()
        expected = np.array([oracle(f) for f in fields])
        assert np.array_equal(got, expected), query
        sure, maybe = prefilter(df, query)
        assert not (got & ~maybe).any(), query
        assert not (sure & ~got).any(), query
        assert np.array_equal(maybe, candidates(df, query).to_numpy())
        bounds_used += int(sure.any()) + int((~maybe).any())
    assert bounds_used > 100  # the pre-filter decided many articles without tokenising them


def test_mask_handles_missing_text():
    df = frame([None, "NATO"], ["nato", None])
    assert mask(df, "nato").tolist() == [True, True]


PIECES = ["Red", "red", "line", "lines", "liner", "NATO", "the", "U.S.", "u", "s", "Putin’s", "putin's", "putin",
          "long‑range", "long-range", "range", "2024", "it's", "x-red", "red-line", "Kyiv"]
SEPARATORS = [" ", " ", ", ", ". ", "\n\n", " — ", "-", "’", "‘", "\u2011", "_", " (", ") ", "."]
PATTERNS = ["red", "line*", "red line*", "red line", "u.s", "u", "putin's", "putin*", "long-range", "range",
            "lines", "s", "2024", "red-line", "li*", "nato red"]


def token_oracle(text: str, patterns: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of matches found by scanning the token list of the whole text (tokens from the regex)."""
    found = [(tokens(m.group())[0], m.span()) for m in re.finditer(TOKEN_PATTERN, text)]
    n = len(patterns)
    ok = lambda p, t: t.startswith(p[:-1]) if p.endswith("*") else t == p  # noqa: E731
    spans, i = [], 0
    while i <= len(found) - n:
        if all(ok(patterns[k], found[i + k][0]) for k in range(n)):
            spans.append((found[i][1][0], found[i + n - 1][1][1]))
            i += n
        else:
            i += 1
    return spans


def test_term_spans_equal_a_token_scan_oracle():
    rng = np.random.default_rng(23)
    texts = ["".join(str(rng.choice(PIECES)) + str(rng.choice(SEPARATORS)) for _ in range(int(rng.integers(0, 25))))
             for _ in range(400)]
    for text in texts:
        for pattern in PATTERNS:
            term = phrase(pattern).positive_terms[0]
            assert term.spans(text) == token_oracle(text, term.patterns), (pattern, text)
            assert term.spans(text.upper()) == token_oracle(text.upper(), term.patterns), (pattern, text)


def test_offsets_survive_text_whose_lower_case_changes_length():
    text = "İSTANBUL: a RED LINE, said İlham"  # "İ".lower() is two characters
    assert len(text.lower()) != len(text)
    assert phrase("red line").positive_terms[0].spans(text) == [(text.index("RED"), text.index(","))]
    assert mask(frame([""], [text]), '"red line" AND said').tolist() == [True]
