"""Text basics: word tokens, stop words, n-grams and news-aware sentence splitting.

Sentences come from NLTK's Punkt algorithm with parameters seeded from shipped lists of news
abbreviations (``Sept.``, ``U.S.``, ``Gen.`` ...), titles that never end a sentence (``Mr.``,
``Dr.`` ...) and frequent sentence starters (``data/*_en.txt``), so :func:`sentences` works
offline with no training. :func:`train_punkt` learns the corpus's own abbreviations,
collocations and capitalisation statistics (cached by a hash of the training text, in-process
and optionally as JSON in a build folder); pass its result as ``punkt=``. Train on real prose:
templated synthetic text teaches Punkt false abbreviations.

>>> tokens("Putin’s “red lines” and long-range U.S. missiles")
["putin's", 'red', 'lines', 'and', 'long-range', 'u.s', 'missiles']
>>> sentences("Putin spoke on Sept. 12 in the U.S. capital. He warned the West.")
['Putin spoke on Sept. 12 in the U.S. capital.', 'He warned the West.']
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import pandas as pd
from nltk.tokenize.punkt import _ORTHO_BEG_UC, PunktParameters, PunktSentenceTokenizer, PunktToken, PunktTrainer

from newslens import atomic

__all__ = [
    "TOKEN_PATTERN",
    "TOKEN_RE",
    "STOPWORDS",
    "ABBREVIATIONS",
    "NUMBER_ABBREVIATIONS",
    "TITLES",
    "tokens",
    "ngrams",
    "sentences",
    "sentence_spans",
    "locate",
    "split_sentences",
    "train_punkt",
    "default_punkt",
    "data_lines",
    "is_missing",
]

_LETTER = r"[^\W\d_]"
_ALNUM = r"[^\W_]"
_JOINER = "['\u2019\\-\u2010\u2011]"

TOKEN_PATTERN: str = (
    rf"(?=.\.)(?<!{_ALNUM}){_LETTER}(?:\.{_LETTER})+(?!{_ALNUM})"  # dotted abbreviations: U.S. -> u.s
    rf"|{_ALNUM}+(?:{_JOINER}{_ALNUM}+)*"  # words, numbers, long-range, putin's
)
"""Word regex (also usable as scikit-learn's ``token_pattern``): runs of letters/digits joined by
internal hyphens or apostrophes, plus dotted abbreviations without their final period
(``U.S.`` -> ``U.S``). Underscores and other punctuation separate tokens. The look-ahead for a period
after the next character adds no condition (a dotted abbreviation has one there); it lets most
positions fail the first alternative at once (tokenising is about 25% faster)."""

TOKEN_RE: re.Pattern[str] = re.compile(TOKEN_PATTERN)
""":data:`TOKEN_PATTERN` compiled: its matches are the tokens (before normalising and lower-casing), and
their spans locate each token in the text.

>>> [m.span() for m in TOKEN_RE.finditer("U.S. long-range")]
[(0, 3), (5, 15)]
"""
_NORMALISE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})
_JOINER_NORMALISE = (("\u2019", "'"), ("\u2010", "-"), ("\u2011", "-"))  # the joiners tokens can contain


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a word list shipped in ``newslens/data``, stripped, in file order.

    Lines starting with ``#`` are comments.

    >>> data_lines("negators_en.txt")[:3]
    ['not', 'no', 'never']
    """
    text = resources.files("newslens").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


STOPWORDS: frozenset[str] = frozenset(data_lines("stopwords_en.txt"))
"""English stop words (Snowball list), lower case with straight apostrophes."""

TITLES: frozenset[str] = frozenset(data_lines("titles_en.txt"))
"""Abbreviated titles (Mr, Gen, Dr ...) after which a sentence never ends."""


def _abbreviations(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """All abbreviations of a list, and those marked ``<number>`` (abbreviations only before a number)."""
    every: set[str] = set()
    numbered: set[str] = set()
    for line in data_lines(name):
        abbr, _, condition = line.partition(" ")
        condition = condition.strip()
        if condition not in ("", "<number>"):
            raise ValueError(f"data/{name}: {line!r}: expected '<abbreviation>' or '<abbreviation> <number>'")
        every.add(abbr)
        if condition:
            numbered.add(abbr)
    return frozenset(every), frozenset(numbered)


_LISTED, NUMBER_ABBREVIATIONS = _abbreviations("abbreviations_en.txt")
"""Abbreviations only before a number (``No. 10``, ``Fig. 3``); before anything else they are the
ordinary word, and a following period ends the sentence (``The answer was no.``)."""

ABBREVIATIONS: frozenset[str] = _LISTED | TITLES
"""News abbreviations known to the sentence splitter (lower case, no final period), including
:data:`NUMBER_ABBREVIATIONS`."""

_SENT_STARTERS: frozenset[str] = frozenset(data_lines("sentence_starters_en.txt"))


def is_missing(text: object) -> bool:
    """Whether a text cell is missing: None or a pandas/NumPy missing value (NA, NaN, NaT).

    Anything else, including the empty string, is a text (possibly without words).

    >>> is_missing(None), is_missing(float("nan")), is_missing(pd.NA), is_missing(""), is_missing(["a"])
    (True, True, True, False, False)
    """
    if text is None:
        return True
    try:
        return bool(pd.isna(text))
    except (TypeError, ValueError):
        return False




def tokens(text: str | None, *, lower: bool = True) -> list[str]:
    """Word tokens of ``text`` (curly apostrophes normalised to ``'``), lower-cased by default.

    Missing text (None/NA) and non-strings without words give ``[]``.

    >>> tokens("NATO's long-range plan", lower=False)
    ["NATO's", 'long-range', 'plan']
    """
    if not isinstance(text, str):
        if is_missing(text):
            return []
        text = str(text)
    found = TOKEN_RE.findall(text)
    if not found:
        return found
    # Tokens never contain spaces, so normalising the joined string is exact and much faster
    # than per token (or str.translate on the whole text).
    joined = " ".join(found)
    for char, repl in _JOINER_NORMALISE:
        if char in joined:
            joined = joined.replace(char, repl)
    return (joined.lower() if lower else joined).split(" ")


def ngrams(toks: Sequence[str], n: int) -> list[str]:
    """Space-joined n-grams of a token sequence.

    >>> ngrams(["red", "line", "crossed"], 2)
    ['red line', 'line crossed']
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    toks = list(toks)
    return [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]


# --- Punkt parameters ---------------------------------------------------------------------


def default_punkt() -> PunktParameters:
    """Untrained Punkt parameters: shipped news abbreviations and sentence starters only."""
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.sent_starters = set(_SENT_STARTERS)
    return params


class _SeededTrainer(PunktTrainer):
    """Punkt trainer that starts from the shipped abbreviations and never unlearns them.

    Seeding matters during training, not only after it: a name after "Mr." must not be counted
    as a frequent sentence starter just because "Mr." was not yet known as an abbreviation.
    """

    def __init__(self) -> None:
        super().__init__()
        self._params = default_punkt()

    def _reclassify_abbrev_types(self, types):
        for abbr, score, is_add in super()._reclassify_abbrev_types(types):
            if is_add or abbr not in ABBREVIATIONS:
                yield abbr, score, is_add


_TRAINED: dict[str, PunktParameters] = {}


def _params_to_json(params: PunktParameters) -> str:
    return json.dumps(
        {
            "abbrev_types": sorted(params.abbrev_types),
            "collocations": sorted([list(pair) for pair in params.collocations]),
            "sent_starters": sorted(params.sent_starters),
            "ortho_context": dict(sorted(params.ortho_context.items())),
        },
        indent=0,
        ensure_ascii=False,
    )


def _params_from_json(text: str) -> PunktParameters:
    data = json.loads(text)
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(pair) for pair in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for typ, flag in data["ortho_context"].items():
        params.ortho_context[typ] = int(flag)
    return params


def train_punkt(texts: Iterable[str | None], *, cache_dir: str | Path | None = None) -> PunktParameters:
    """Train Punkt on a corpus, seeded with the shipped abbreviations and sentence starters.

    Training is unsupervised (Kiss & Strunk 2006): it learns the corpus's own abbreviations,
    collocations and capitalisation statistics. Results are cached in-process and, when
    ``cache_dir`` is given, in ``cache_dir/punkt-<sha256 of the text>.json``, so the same
    corpus is never trained twice.

    >>> params = train_punkt(["Gen. Smith arrived. He spoke."])
    >>> "gen" in params.abbrev_types
    True
    """
    training_text = "\n\n".join(str(t) for t in texts if not is_missing(t))
    key = hashlib.sha256(training_text.encode("utf-8")).hexdigest()
    cache_file = Path(cache_dir) / f"punkt-{key[:32]}.json" if cache_dir is not None else None
    params = _TRAINED.get(key)
    if params is None and cache_file is not None and cache_file.is_file():
        params = _params_from_json(cache_file.read_text(encoding="utf-8"))
    if params is None:
        trainer = _SeededTrainer()
        if training_text.strip():
            trainer.train(training_text, finalize=True)
        params = trainer.get_params()
        params.abbrev_types |= ABBREVIATIONS
        params.sent_starters |= _SENT_STARTERS
    if cache_file is not None and not cache_file.is_file():
        atomic.write_text(cache_file, _params_to_json(params))
    _TRAINED[key] = params
    return params


# --- sentence splitting -------------------------------------------------------------------

class _MemoPunkt(PunktSentenceTokenizer):
    """Punkt with its boundary decision memoised, and a stricter orthographic heuristic.

    Punkt decides each candidate boundary from a short context ("world. In") and fixed
    parameters, so the decision is a pure function of the context string; caching it gives
    identical output at a fraction of the cost, since contexts repeat.

    A title from ``data/titles_en.txt`` (Mr., Gen. ...) never ends a sentence. An abbreviation
    of :data:`NUMBER_ABBREVIATIONS` is one only before a number: "No. 10" stays whole, while
    "no." before anything else is the word and ends the sentence, whatever training learnt. After other
    abbreviations, Punkt's orthographic heuristic starts a new sentence when the next
    word was seen lower case but never capitalised mid-sentence. On corpora of news size that
    misfires ("the U.S. National Security Council" when "national" only occurred lower case),
    so here it also needs positive evidence: the word was seen capitalised at a sentence start.
    """

    _MAX_CACHE = 200_000

    def __init__(self, params: PunktParameters) -> None:
        super().__init__(params)
        self._decisions: dict[str, bool] = {}

    def _second_pass_annotation(self, aug_tok1: PunktToken, aug_tok2: PunktToken | None) -> str | None:
        if aug_tok2 is not None and aug_tok1.period_final and aug_tok1.type_no_period in TITLES:
            aug_tok1.sentbreak = False
            aug_tok1.abbr = True
            return "title before a name"
        if aug_tok2 is not None and aug_tok1.period_final and aug_tok1.type_no_period in NUMBER_ABBREVIATIONS:
            before_number = aug_tok2.is_number or aug_tok2.tok[:1].isdigit()
            aug_tok1.abbr = before_number
            aug_tok1.sentbreak = not before_number
            return "abbreviation before a number" if before_number else "word, not an abbreviation"
        return super()._second_pass_annotation(aug_tok1, aug_tok2)

    def _ortho_heuristic(self, aug_tok: PunktToken) -> bool | str:
        decision = super()._ortho_heuristic(aug_tok)
        if decision is True and not self._params.ortho_context[aug_tok.type_no_sentperiod] & _ORTHO_BEG_UC:
            return "unknown"
        return decision

    def text_contains_sentbreak(self, text: str) -> bool:
        found = self._decisions.get(text)
        if found is None:
            if len(self._decisions) >= self._MAX_CACHE:
                self._decisions.clear()
            found = self._decisions[text] = super().text_contains_sentbreak(text)
        return found


_TOKENIZERS: dict[int, tuple[PunktParameters | None, _MemoPunkt]] = {}
_PARAGRAPH_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SPACE_RE = re.compile(r"\s+")
_NON_SPACE_RE = re.compile(r"\S")
# Where Punkt looks for a boundary: . ? ! followed by punctuation or by a space and a token.
_CANDIDATE_RE = re.compile("[.?!](?:[)\";}\\]*:@'({\\[\u2018\u2019\u201c\u201d\xab\xbb!?]| \\S)")


def _tokenizer(punkt: PunktParameters | None) -> _MemoPunkt:
    """One memoising tokenizer per parameter object (the params are kept alive with it)."""
    key = id(punkt)
    cached = _TOKENIZERS.get(key)
    if cached is None or cached[0] is not punkt:
        if len(_TOKENIZERS) >= 8:
            _TOKENIZERS.clear()
        cached = _TOKENIZERS[key] = (punkt, _MemoPunkt(default_punkt() if punkt is None else punkt))
    return cached[1]


def _blocks(text: str) -> list[str]:
    """Paragraphs and stand-alone lines (headlines, bylines): units no sentence crosses."""
    blocks: list[str] = []
    for paragraph in _PARAGRAPH_RE.split(text):
        for line in _split_lines(paragraph):
            line = line.strip()
            if line:
                blocks.append(line)
    return blocks


def _split_lines(paragraph: str) -> list[str]:
    if "\n" not in paragraph:
        return [paragraph]
    lines = paragraph.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        stripped = line.lstrip()
        if stripped[:1].islower():
            out[-1] = out[-1] + " " + stripped  # hard-wrapped sentence continues
        else:
            out.append(line)
    return out


def _sentences_with(tokenizer: _MemoPunkt, text: str | None) -> list[str]:
    if is_missing(text):
        return []
    out: list[str] = []
    for block in _blocks(str(text)):
        block = _SPACE_RE.sub(" ", block)
        if not _CANDIDATE_RE.search(block):
            out.append(block)  # no possible boundary inside: Punkt would return the block whole
            continue
        first = True
        for sent in tokenizer.tokenize(block):
            sent = sent.strip()
            if not sent:
                continue
            if not first and sent[0].islower():
                out[-1] = out[-1] + " " + sent  # “Is it a bluff?” she asked.
            else:
                out.append(sent)
            first = False
    return out


def sentences(text: str | None, *, punkt: PunktParameters | None = None) -> list[str]:
    """Split news text into sentences; internal whitespace runs are collapsed to one space.

    Paragraph breaks (blank lines) and single line breaks before a capitalised line always end
    a sentence (headlines and bylines without final punctuation stand alone); a line starting
    lower case continues the previous one. Inside a paragraph Punkt decides, using ``punkt``
    (from :func:`train_punkt`) or, by default, the shipped abbreviations only; a piece Punkt
    splits off that starts lower case is joined back (``“Is it a bluff?” she asked.``). A
    sentence may end inside a closing quote: ``He said: “No.” Then ...``. Missing text gives ``[]``.

    >>> sentences("Headline without a stop\\n\\nMr. Lavrov said “No.” Then he left.")
    ['Headline without a stop', 'Mr. Lavrov said “No.”', 'Then he left.']
    """
    return _sentences_with(_tokenizer(punkt), text)


def sentence_spans(text: str | None, *, punkt: PunktParameters | None = None) -> list[tuple[int, int]]:
    """Character offsets ``(start, end)`` of each of :func:`sentences` in the original ``text``.

    ``text[start:end]`` with its whitespace runs collapsed to one space is the sentence, so
    downstream steps can point back into the unaltered article. Missing text gives ``[]``.

    >>> doc = "Mr. Lavrov said “No.”\\n\\nThen  he left."
    >>> [doc[s:e] for s, e in sentence_spans(doc)]
    ['Mr. Lavrov said “No.”', 'Then  he left.']
    """
    found = sentences(text, punkt=punkt)
    if not found:
        return []
    text = str(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    for sent in found:
        spans.append(locate(text, sent, pos))
        pos = spans[-1][1]
    return spans


def locate(text: str, sentence: str, pos: int = 0) -> tuple[int, int]:
    """The span ``(start, end)`` of ``sentence`` (a piece of ``text`` with its whitespace runs
    collapsed to one space, as :func:`sentences` gives it) in ``text``, from ``pos`` on.

    >>> locate("One.  Two\\n three.", "Two three.", 4)
    (6, 17)
    """
    # Sentences keep every non-space character in order: a sentence starts at the first non-space
    # character from ``pos`` on, and so does each of its space-free pieces.
    found = _NON_SPACE_RE.search(text, pos)
    if found is not None and text.startswith(sentence, found.start()):
        return found.start(), found.start() + len(sentence)
    start = end = -1
    for piece in sentence.split(" "):
        at = text.find(piece, pos)
        if start < 0:
            start = at
        pos = end = at + len(piece)
    return start, end


def split_sentences(
    df: pd.DataFrame,
    *,
    id_col: str = "id",
    title_col: str = "title",
    text_col: str = "text",
    punkt: PunktParameters | None = None,
) -> pd.DataFrame:
    """One row per sentence: ``[id, part, sentence_no, sentence]``.

    The title is one unit (part ``"title"``, sentence_no 0; omitted when empty or when the
    table has no title column); body sentences (part ``"body"``) are numbered from 0. Rows are
    ordered by id, then title before body, then sentence_no.

    >>> df = pd.DataFrame({"id": ["a"], "title": ["Red lines"], "text": ["One. Two."]})
    >>> split_sentences(df)["sentence"].tolist()
    ['Red lines', 'One.', 'Two.']
    """
    for col in (id_col, text_col):
        if col not in df.columns:
            raise KeyError(f"split_sentences: column {col!r} not in table (columns: {list(df.columns)})")
    tokenizer = _tokenizer(punkt)
    ids: list[object] = []
    parts: list[str] = []
    numbers: list[int] = []
    sents: list[str] = []
    titles = df[title_col].tolist() if title_col in df.columns else [None] * len(df)
    for doc_id, title, text in zip(df[id_col].tolist(), titles, df[text_col].tolist(), strict=True):
        if not is_missing(title):
            title_text = _SPACE_RE.sub(" ", str(title)).strip()
            if title_text:
                ids.append(doc_id)
                parts.append("title")
                numbers.append(0)
                sents.append(title_text)
        for number, sent in enumerate(_sentences_with(tokenizer, text)):
            ids.append(doc_id)
            parts.append("body")
            numbers.append(number)
            sents.append(sent)
    out = pd.DataFrame(
        {
            id_col: pd.Series(ids, dtype=df[id_col].dtype),
            "part": pd.Series(parts, dtype="str"),
            "sentence_no": pd.Series(numbers, dtype="int64"),
            "sentence": pd.Series(sents, dtype="str"),
        }
    )
    order = out.assign(_part=(out["part"] == "body").astype("int8"))
    order = order.sort_values([id_col, "_part", "sentence_no"], kind="mergesort")
    return out.loc[order.index].reset_index(drop=True)
