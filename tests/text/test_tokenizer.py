import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
# looks around its match, which must fall back to one findall per document.
PATTERNS = [r"(?u)\b\w\w+\b", r"\S+", r"\w+", r"\w*", r"[^\W\d_]+", r"\b\w", r"\w\b", r".",
            r"(?s).", r"[^,]+", r"\B\w", *CONTEXT_PATTERNS]
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
