import re
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sklearn_embed.text._compiled_tokens import (
    RUN_PATTERNS,
    _class_table,
    python_tokenizer,
    run_pattern,
    tokenize_runs,
)
from sklearn_embed.text._tokenizer import (
    build_analyzer,
    compile_token_pattern,
    iter_token_chunks,
)


def _reference(docs, pattern=r"(?u)\b\w\w+\b", lowercase=True):
    return [re.findall(pattern, d.lower() if lowercase else d) for d in docs]


def _ours(docs, **kw):
    return [tokens for chunk in iter_token_chunks(docs, **kw) for tokens in chunk.token_lists()]


def test_batch_path_matches_findall():
    docs = ["The cat, the HAT!", "", "été ÉTÉ naïve", "x", "tabs\tand\nnewlines"]
    assert _ours(docs) == _reference(docs)


def test_small_chunks_keep_document_order():
    docs = [f"doc number {i} words{i}" for i in range(50)]
    assert _ours(docs, chunk_chars=30) == _reference(docs)


def test_nul_in_documents_falls_back_exactly():
    docs = ["ab\x00cd ef", "gh\x00", "\x00"]
    assert _ours(docs) == _reference(docs)


def test_pattern_that_could_cross_documents():
    docs = ["one two", "three four"]
    assert _ours(docs, token_pattern=r"[^,]+") == _reference(docs, r"[^,]+")


# Patterns whose matches depend on what is around them: the start or end of the
# text, or the characters beside a match.  In a NUL-joined batch the neighbour
# of a document's first and last character is the separator, not the text's end.
CONTEXT_PATTERNS = [
    r"^\w+", r"\w+$", r"\A\w+", r"\w+\Z", r"(?m)^\w+", r"(?m)\w+$", r"(?<=\W)\w+",
    r"(?<!\w)\w", r"\w+(?=\W)", r"\w(?!\w)", r"(?:^|\s)(\w+)", r"(\w)?\w(?(1)x|y)",
    r"(?s).\Z", r"\w+(?=$)",
]


@pytest.mark.parametrize("pattern", CONTEXT_PATTERNS)
def test_patterns_that_look_around_a_match_see_one_document(pattern):
    docs = ["Alpha beta gamma", "delta\nepsilon", "", " zeta", "eta ", "!", "ab xy"]
    assert _ours(docs, token_pattern=pattern) == _reference(docs, pattern)


@pytest.mark.parametrize("pattern, batched", [
    (r"(?u)\b\w\w+\b", True), (r"\S+", True), (r"[^\W\d_]+", True), (r"\$\d+", True),
    (r"\bthe\b", True), (r"^\w+", False), (r"(?<=\W)\w+", False), (r"\w+(?!x)", False),
])
def test_only_patterns_that_look_around_give_up_the_batch(pattern, batched):
    assert (compile_token_pattern(pattern)[1] is not None) == batched


def test_capturing_group_selects_the_token():
    docs = ["ab cd", "ef"]
    assert _ours(docs, token_pattern=r"(\w)\w") == [["a", "c"], ["e"]]


def test_case_is_kept_without_lowercase():
    assert build_analyzer(lowercase=False)("The Cat") == ["The", "Cat"]


# Patterns the shortcut must get right: the default, others that it batches
# (some match the separator itself, or the empty string), and every pattern that
# looks around its match, which must fall back to one findall per document; and
# every pattern of the compiled path.
PATTERNS = list(dict.fromkeys([
    r"(?u)\b\w\w+\b", r"\S+", r"\w+", r"\w*", r"[^\W\d_]+", r"\b\w", r"\w\b", r".", r"(?s).",
    r"[^,]+", r"\B\w", *CONTEXT_PATTERNS, *RUN_PATTERNS,
]))
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=30),
    st.text(st.sampled_from([*"aB1_ \n\x00,.!\u0130\u03a3\u00df\udce9\u0301\u2028"]), max_size=30),
)


@pytest.mark.hypothesis
@settings(max_examples=10_000, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(docs=st.lists(ANY_TEXT, max_size=8), pattern=st.sampled_from(PATTERNS),
       lowercase=st.booleans(), chunk_chars=st.sampled_from([8_000_000, 1, 20]))
def test_batches_equal_findall_per_document_on_any_unicode(docs, pattern, lowercase,
                                                           chunk_chars):
    ours = _ours(docs, token_pattern=pattern, lowercase=lowercase, chunk_chars=chunk_chars)
    assert ours == _reference(docs, pattern, lowercase)


# The compiled path (runs of one character class, see _compiled_tokens).

EDGE_CASES = [
    "The cat, the HAT!", "", "été ÉTÉ naïve", "nai\u0308ve", "x", "tabs\tand\nnewlines\r\n",
    "\u0130stanbul \u0130I", "ΟΔΟΣ ΟΔΟΣΣ Σ", "STRASSE straße ﬁne", "a\x00bc\x00", "line\u2028sep",
    "digits ١٢٣ ۴۵ ²³ ½ Ⅻ", "日本語 テキスト 한국어", "emoji 🙂🙂 x_y __ _",
    "\x1c\x1d\x1e\x1f\x85 a", "𝐀𝐁 𐐀𐐨", "\ufeffbom", "a" * 500,
]


def _chunks(docs, **kw):
    return [(c.start, c.codes.tolist(), c.uniques.tolist(), c.indptr.tolist())
            for c in iter_token_chunks(docs, **kw)]


@pytest.mark.parametrize("pattern", sorted(RUN_PATTERNS))
@pytest.mark.parametrize("lowercase", [True, False])
def test_compiled_path_gives_the_chunks_of_the_python_path(pattern, lowercase):
    # Same codes in the same order of first appearance: weights_ and the
    # vocabulary built from them keep their order.
    docs = EDGE_CASES * 3
    for chunk_chars in (8_000_000, 40):
        compiled = _chunks(docs, token_pattern=pattern, lowercase=lowercase,
                           chunk_chars=chunk_chars)
        with python_tokenizer():
            python = _chunks(docs, token_pattern=pattern, lowercase=lowercase,
                             chunk_chars=chunk_chars)
        assert compiled == python
    assert _ours(docs, token_pattern=pattern, lowercase=lowercase) == _reference(
        docs, pattern, lowercase)


@pytest.mark.hypothesis
@settings(max_examples=2_000, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(docs=st.lists(ANY_TEXT, max_size=8), pattern=st.sampled_from(sorted(RUN_PATTERNS)),
       lowercase=st.booleans())
def test_compiled_chunks_equal_python_chunks_on_any_unicode(docs, pattern, lowercase):
    compiled = _chunks(docs, token_pattern=pattern, lowercase=lowercase)
    with python_tokenizer():
        assert compiled == _chunks(docs, token_pattern=pattern, lowercase=lowercase)


def test_the_compiled_path_is_taken_for_run_patterns_only():
    assert run_pattern(r"(?u)\b\w\w+\b") == (r"\w", 2)
    assert run_pattern(r"\w\w\w+") is None
    assert run_pattern(r"(\w)\w") is None
    with python_tokenizer():
        assert run_pattern(r"(?u)\b\w\w+\b") is None
    assert run_pattern(r"(?u)\b\w\w+\b") is not None


def test_python_tokenizer_is_restored_after_an_error():
    with pytest.raises(KeyError), python_tokenizer():
        raise KeyError("inside")
    assert run_pattern(r"\w+") is not None


@pytest.mark.parametrize("char_class", sorted({c for c, _ in RUN_PATTERNS.values()}))
def test_class_table_is_python_re_on_every_code_point(char_class):
    table, ascii_ranges = _class_table(char_class)
    one = re.compile(char_class)
    expected = np.fromiter((one.fullmatch(chr(c)) is not None
                            for c in range(sys.maxunicode + 1)), dtype=bool)
    np.testing.assert_array_equal(table, expected)
    in_ranges = np.zeros(128, dtype=bool)
    for first, last in ascii_ranges:
        in_ranges[first:last + 1] = True
    np.testing.assert_array_equal(in_ranges, expected[:128])
    # The separator between documents must end every run.
    assert not table[ord(" ")]


@pytest.mark.parametrize("char_class, has_surrogate_tokens", [(r"\w", False), (r"\S", True)])
def test_lone_surrogates_fall_back_only_where_tokens_would_hold_them(char_class,
                                                                     has_surrogate_tokens):
    docs = ["ab \udce9cd", "ef"]
    result = tokenize_runs(docs, char_class, 1, True)
    assert (result is None) == has_surrogate_tokens
    pattern = r"\w+" if char_class == r"\w" else r"\S+"
    assert _ours(docs, token_pattern=pattern) == _reference(docs, pattern)


def test_compiled_chunk_types_and_empty_input():
    codes, uniques, indptr = tokenize_runs(["Hello hello", "!!", "x"], r"\w", 2, True)
    assert codes.dtype == np.int64 and indptr.dtype == np.int64 and uniques.dtype == object
    assert uniques.tolist() == ["hello"] and codes.tolist() == [0, 0]
    assert indptr.tolist() == [0, 2, 2, 2]
    codes, uniques, indptr = tokenize_runs(["", "?"], r"\w", 2, True)
    assert len(codes) == 0 and len(uniques) == 0 and indptr.tolist() == [0, 0, 0]
