import os
import pickle
import re

import emoji
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import config_context
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import FeatureUnion, make_pipeline

from sklearn_embed import TextCleaner
from sklearn_embed._compat import InvalidParameterError
from sklearn_embed.text._abbreviations import CHAT_ABBREVIATIONS
from sklearn_embed.text._cleaning_steps import (
    _emoji_name,
    _replace_emojis,
    _strip_html,
    _without_punctuation,
    _without_symbols,
)
from tests.conftest import CORPUS, data_dir

# Every step off except collapse_whitespace, so that one step at a time can be
# switched on and the expected strings stay readable.
ONLY_COLLAPSE = dict(
    fix_mojibake=False,
    strip_html=False,
    remove_links=False,
    mentions="keep",
    hashtags="keep",
    abbreviations=False,
    emojis="keep",
    lowercase=False,
    remove_symbols=False,
    remove_punctuation=False,
    collapse_whitespace=True,
)


def clean(docs, **params):
    return TextCleaner(**{**ONLY_COLLAPSE, **params}).fit_transform(docs)


def test_defaults():
    assert TextCleaner().get_params() == {
        "fix_mojibake": True,
        "strip_html": True,
        "remove_links": True,
        "mentions": "remove",
        "hashtags": "word",
        "abbreviations": True,
        "emojis": "name",
        "lowercase": True,
        "remove_symbols": True,
        "remove_punctuation": False,
        "collapse_whitespace": True,
        "verbose": 0,
    }


STEP_CASES = [
    # (parameters, input, expected with the step on)
    ({"fix_mojibake": True}, "donÂ\x92t panic", "don't panic"),
    ({"fix_mojibake": True}, "cafÃ© crème", "café crème"),
    # A tweet truncated inside a mojibake sequence keeps a lone "Â".
    ({"fix_mojibake": True}, "staff donÂ", "staff don"),
    ({"fix_mojibake": True}, "“curly” it’s", "\"curly\" it's"),
    ({"fix_mojibake": True}, "Â ÂME Â", "ÂME"),
    ({"strip_html": True}, "Great.<br /><br />Really &amp; truly", "Great. Really & truly"),
    ({"strip_html": True}, "a<b>bold</b>c <!-- x --> i <3 u", "a bold c i <3 u"),
    (
        {"remove_links": True},
        "see https://t.co/abc, WWW.Example.org/x. and http://a.b/c?d=1 now",
        "see , . and now",
    ),
    ({"remove_links": True}, "awww.so cute, nohttp://", "awww.so cute, nohttp://"),
    ({"mentions": "remove"}, "@bob hi @Tim_Dodson, mail me@x.com", "hi , mail me@x.com"),
    ({"hashtags": "word"}, "#StayHome now #1 #Covid_19", "StayHome now #1 Covid_19"),
    ({"hashtags": "remove"}, "#StayHome now #1 #Covid_19", "now #1"),
    (
        {"abbreviations": True},
        "IDK u r gr8, w/o Pls thx lol!",
        "i do not know you are great, without please thanks laughing out loud!",
    ),
    # Glued to a neighbour, an abbreviation is not a word of its own.
    ({"abbreviations": True}, "U.S. R&B u're @u idk2 R-rated", "U.S. R&B u're @u idk2 R-rated"),
    ({"abbreviations": True}, "don't im", "don't im"),
    ({"emojis": "name"}, "I love it 😍", "I love it smiling face with heart eyes"),
    ({"emojis": "name"}, "ok👍🏽go 🇺🇸", "ok thumbs up medium skin tone go United States"),
    ({"emojis": "remove"}, "I love😍it 👍🏽", "I love it"),
    ({"lowercase": True}, "Hello WORLD Ünïcode", "hello world ünïcode"),
    (
        {"remove_symbols": True},
        "a+b=c ^_^ 5€ £3 ♥ soft\xadhyphen zero\u200bwidth bell\x07",
        "a b c _ 5€ £3 softhyphen zerowidth bell",
    ),
    (
        {"remove_punctuation": True},
        "don't “stop” — rock 'n' roll, covid-19! it’s 'quoted'",
        "don't stop rock n roll covid 19 it’s quoted",
    ),
]


@pytest.mark.parametrize(
    "params, doc, expected",
    STEP_CASES,
    ids=[f"{i}-{next(iter(params))}" for i, (params, _, _) in enumerate(STEP_CASES)],
)
def test_each_step_on_and_off(params, doc, expected):
    assert clean([doc], **params) == [expected]
    # With every step off but collapse_whitespace, the text is unchanged.
    assert clean([doc]) == [" ".join(doc.split())]


def test_emojis_keep_leaves_emojis():
    assert clean(["I love it 😍"], emojis="keep") == ["I love it 😍"]


def test_collapse_whitespace_on_and_off():
    doc = "  a \t b\n\n\xa0c  "
    assert clean([doc]) == ["a b c"]
    assert clean([doc], collapse_whitespace=False) == [doc]


def test_removed_pieces_do_not_glue_words():
    assert clean(["end.https://t.co/x Next"], remove_links=True, collapse_whitespace=False) == [
        "end.  Next"
    ]


def test_all_defaults_on_a_tweet():
    doc = (
        "@SenSanders IdK why ppl panic-buy 😱 #COVID19 &amp; more:\r\r\n"
        "https://t.co/abc WeÂ\x92re fine&lt;3"
    )
    assert TextCleaner().fit_transform([doc]) == [
        "i do not know why people panic-buy face screaming in fear covid19 & more: we're fine 3"
    ]


def test_steps_run_in_the_documented_order():
    # strip_html before remove_links: the URL inside the tag goes with the tag.
    assert clean(['<a href="http://x.org">site</a>'], strip_html=True, remove_links=True) == [
        "site"
    ]
    # emojis before lowercase: the name is lowercased.
    assert clean(["🇺🇸"], emojis="name", lowercase=True) == ["united states"]
    # emojis before remove_symbols: a kept emoji is a symbol and goes.
    assert clean(["ok 😍"], emojis="keep", remove_symbols=True) == ["ok"]
    # abbreviations before emojis: names are never read as abbreviations.
    assert clean(["🆗 u"], emojis="name", abbreviations={"ok": "okay", "u": "you"}) == [
        "OK button you"
    ]
    # hashtags before abbreviations: "#lol" becomes the word "lol" first.
    assert clean(["#lol"], hashtags="word", abbreviations=True) == ["laughing out loud"]
    assert clean(["#lol"], hashtags="keep", abbreviations=True) == ["#lol"]


def test_custom_abbreviation_mapping_replaces_the_default():
    mapping = {"NGL": "not gonna lie", "tl;dr": "too long did not read"}
    assert clean(["ngl, idk. TL;DR: good"], abbreviations=mapping) == [
        "not gonna lie, idk. too long did not read: good"
    ]
    extended = {**CHAT_ABBREVIATIONS, "ngl": "not gonna lie"}
    assert clean(["ngl idk"], abbreviations=extended) == ["not gonna lie i do not know"]
    assert clean(["ngl idk"], abbreviations={}) == ["ngl idk"]


def test_default_abbreviations_are_read_only_and_exclude_contractions():
    with pytest.raises(TypeError):
        CHAT_ABBREVIATIONS["lol"] = "lots of love"
    assert not any("'" in key for key in CHAT_ABBREVIATIONS)
    assert 50 <= len(CHAT_ABBREVIATIONS) <= 200


@pytest.mark.parametrize(
    "params, match",
    [
        ({"mentions": "drop"}, r"The 'mentions' parameter of TextCleaner must be a str among"),
        ({"hashtags": "tag"}, r"The 'hashtags' parameter of TextCleaner must be a str among"),
        ({"emojis": "text"}, r"The 'emojis' parameter of TextCleaner must be a str among"),
        ({"lowercase": "yes"}, r"The 'lowercase' parameter of TextCleaner must be an instance"),
        ({"abbreviations": "yes"}, r"The 'abbreviations' parameter of TextCleaner must be"),
        (
            {"abbreviations": {"lol": 3}},
            r"The 'abbreviations' parameter of TextCleaner must be a dict of non-empty str to "
            r"str. Got the entry 'lol': 3 instead.",
        ),
        ({"abbreviations": {" ": "x"}}, r"must be a dict of non-empty str to str"),
    ],
)
def test_invalid_parameters_are_reported_by_name(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        TextCleaner(**params).fit(["a"])


def test_parameters_are_checked_again_in_transform():
    cleaner = TextCleaner().fit(["a"]).set_params(emojis="text")
    with pytest.raises(InvalidParameterError, match=r"The 'emojis' parameter of TextCleaner"):
        cleaner.transform(["a"])


@pytest.mark.parametrize("method", ["fit", "transform", "fit_transform"])
def test_bare_string_is_rejected(method):
    cleaner = TextCleaner().fit([]) if method == "transform" else TextCleaner()
    with pytest.raises(ValueError, match=r"wrap a single document in a list: \['a cat'\]"):
        getattr(cleaner, method)("a cat")


@pytest.mark.parametrize("missing, shown", [(None, "None"), (float("nan"), "NaN"), (b"x", "bytes")])
def test_non_str_document_is_rejected_with_its_position(missing, shown):
    with pytest.raises(TypeError, match=rf"the element at position 2 is {shown}"):
        TextCleaner().fit_transform(["a", "b", missing])


def test_not_fitted_error_before_fit():
    with pytest.raises(NotFittedError, match="This TextCleaner instance is not fitted yet"):
        TextCleaner().transform(["a"])
    with pytest.raises(NotFittedError, match="This TextCleaner instance is not fitted yet"):
        TextCleaner().get_feature_names_out()


def test_fit_returns_self_and_learns_nothing():
    cleaner = TextCleaner()
    assert cleaner.fit(["a"]) is cleaner
    assert cleaner.fitted_ is True
    assert not hasattr(cleaner, "n_features_in_")


@pytest.mark.parametrize(
    "docs",
    [
        ["Hi U", "", "OK"],
        ("Hi U", "", "OK"),
        np.array(["Hi U", "", "OK"], dtype=object),
        pd.Series(["Hi U", "", "OK"], index=[5, 3, 9]),
        pd.DataFrame({"text": ["Hi U", "", "OK"]}),
    ],
    ids=["list", "tuple", "array", "series", "one-column-frame"],
)
def test_output_is_a_list_of_str_in_input_order(docs):
    assert TextCleaner().fit_transform(docs) == ["hi you", "", "ok"]


def test_get_feature_names_out():
    names = TextCleaner().fit(["a"]).get_feature_names_out()
    assert names.dtype == object
    np.testing.assert_array_equal(names, ["text"])


def test_tags_declare_text_input():
    tags = TextCleaner().__sklearn_tags__()
    assert tags.input_tags.string is True
    assert tags.input_tags.two_d_array is False
    assert tags.requires_fit is True


def test_set_output_pandas_gives_one_text_column_with_the_input_index():
    docs = pd.Series(["Hi U", "OK"], index=[10, 20])
    cleaner = TextCleaner().set_output(transform="pandas").fit(docs)
    for frame in (cleaner.transform(docs), clone(cleaner).fit_transform(docs)):
        assert isinstance(frame, pd.DataFrame)
        assert frame.columns.tolist() == ["text"] and frame.index.tolist() == [10, 20]
        assert frame["text"].tolist() == ["hi you", "ok"]
    with config_context(transform_output="pandas"):
        assert TextCleaner().fit_transform(["A b"])["text"].tolist() == ["a b"]
    assert TextCleaner().set_output(transform="default").fit_transform(["A b"]) == ["a b"]


def test_pipeline_with_pandas_output_feeds_the_text_column_on():
    from sklearn_embed import EmbeddingVectorizer

    pipe = make_pipeline(TextCleaner(), EmbeddingVectorizer()).set_output(transform="pandas")
    out = pipe.fit_transform(CORPUS)
    assert isinstance(out, pd.DataFrame) and out.shape == (len(CORPUS), 50)
    assert out.columns.tolist() == pipe[-1].get_feature_names_out().tolist()
    expected = make_pipeline(TextCleaner(), EmbeddingVectorizer()).fit_transform(CORPUS)
    np.testing.assert_allclose(out.to_numpy(), expected)
    np.testing.assert_allclose(pipe.transform(CORPUS).to_numpy(), expected)


def test_feature_union_with_pandas_output():
    from sklearn_embed import EmbeddingVectorizer

    union = FeatureUnion([
        ("vectors", make_pipeline(TextCleaner(), EmbeddingVectorizer())),
        ("cleaned", TextCleaner()),
    ]).set_output(transform="pandas")
    out = union.fit_transform(pd.Series(CORPUS, index=range(10, 10 + len(CORPUS))))
    assert out.shape == (len(CORPUS), 51) and out.columns[-1] == "cleaned__text"
    assert out.index.tolist() == list(range(10, 10 + len(CORPUS)))


def test_set_output_refuses_an_unknown_container():
    with pytest.raises(ValueError, match=r"transform must be 'default', 'pandas', 'polars' or "
                                         r"None, got 'arrow'"):
        TextCleaner().set_output(transform="arrow")


def test_clone_and_pickle_round_trip():
    cleaner = TextCleaner(abbreviations={"ngl": "not gonna lie"}, emojis="remove").fit(["a"])
    cloned = clone(cleaner)
    assert cloned.get_params() == cleaner.get_params()
    restored = pickle.loads(pickle.dumps(cleaner))
    docs = ["NGL 😍 fine"]
    assert restored.transform(docs) == cleaner.transform(docs) == ["not gonna lie fine"]


def test_in_a_pipeline_before_a_vectorizer():
    pipe = make_pipeline(TextCleaner(), CountVectorizer())
    pipe.fit(["I <3 U", "idk lol"])
    assert "laughing" in pipe[-1].vocabulary_
    assert "you" in pipe[-1].vocabulary_


EVERY_STEP_ON = dict(remove_punctuation=True)

# Any code point, surrogates included (text decoded with errors="surrogateescape"),
# and strings built from the pieces each step acts on, so that steps meet.
PIECES = [*"<>!-&#@_ab1'’ Uu:/.whİΣÂ\x92\x00\t\u200d\ufe0f\udce9\ud83d\ude00",
          "idk", "gr8", " u ", "w/o", "http://", "www.", "&lt;", "&amp;", "<!--", "-->", "<br />",
          "#lol", "@bob", "\U0001f60d", "\U0001f1fa\U0001f1f8", "\U0001f44d\U0001f3fd", "Ã©"]
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.lists(st.sampled_from(PIECES), max_size=20).map("".join),
)
# Deterministic, so that CI runs the same 10,000 examples every time.
MANY_EXAMPLES = settings(max_examples=10_000, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))


@pytest.mark.hypothesis
@MANY_EXAMPLES
@given(docs=st.lists(ANY_TEXT, max_size=4))
def test_every_step_on_arbitrary_unicode(docs):
    cleaned = TextCleaner(**EVERY_STEP_ON).fit_transform(docs)
    assert isinstance(cleaned, list) and len(cleaned) == len(docs)
    for doc in cleaned:
        assert isinstance(doc, str)
        assert "  " not in doc and doc == doc.strip()
        # Surrogates are symbols (category Cs): replaced, so the text encodes.
        doc.encode("utf-8")


# Steps whose second pass changes nothing: the "normalizing" ones together, and
# three of the others alone.  Not so, and not asserted: strip_html ("&lt;b&gt;"
# becomes the tag "<b>"), mentions ("@a@b" keeps "@b", glued to "@a"),
# hashtags="remove" (likewise), fix_mojibake (ftfy can repair in two passes
# what it half-repairs in one), and combinations in which a later step frees a
# word for an earlier one ("<w/" loses "<" to remove_symbols, then "w/" is an
# abbreviation).
IDEMPOTENT = [
    dict(emojis="name", lowercase=True, remove_symbols=True, remove_punctuation=True),
    dict(emojis="remove", lowercase=True, remove_symbols=True, remove_punctuation=True),
    dict(abbreviations=True),
    dict(hashtags="word"),
    dict(remove_links=True),
]


@pytest.mark.hypothesis
@MANY_EXAMPLES
@given(docs=st.lists(ANY_TEXT, max_size=4), steps=st.sampled_from(IDEMPOTENT))
def test_idempotent_steps(docs, steps):
    cleaner = TextCleaner(**{**ONLY_COLLAPSE, **steps}).fit([])
    once = cleaner.transform(docs)
    assert cleaner.transform(once) == once


@pytest.mark.parametrize("params, doc", [
    ({"strip_html": True}, "&lt;b&gt;bold"),
    ({"mentions": "remove"}, "@a@b"),
    ({"hashtags": "remove"}, "#ab#cd"),
])
def test_steps_that_are_not_idempotent(params, doc):
    once = clean([doc], **params)
    assert clean(once, **params) != once


def test_surrogates_are_joined_by_ftfy_or_removed_as_symbols():
    assert clean(["\ud83d\ude00 ok"], fix_mojibake=True) == ["\U0001f600 ok"]
    assert clean(["caf\udce9 ok"], remove_symbols=True) == ["caf ok"]
    assert clean(["caf\udce9 ok"]) == ["caf\udce9 ok"]  # every step off: kept


def _real_texts(name, n_rows, must_contain):
    path = os.path.join(data_dir(), f"{name}.parquet")
    if not os.path.exists(path):
        pytest.skip(f"{path} not found; set SKLEARN_EMBED_DATA to the data folder")
    texts = pd.read_parquet(path, columns=["text", "split"]).query("split == 'train'")["text"]
    marked = texts[texts.str.contains(must_contain, regex=False)]
    return pd.concat([marked.head(n_rows // 2), texts.head(n_rows // 2)])


def test_real_coronavirus_tweets():
    texts = _real_texts("corona_tweets", 400, "Â")
    cleaned = TextCleaner().fit_transform(texts)
    assert len(cleaned) == len(texts)
    assert not any("Â" in doc for doc in cleaned)
    assert not any("https://" in doc or "\r" in doc for doc in cleaned)
    assert sum("'" in doc for doc in cleaned) > 100


def test_real_imdb_reviews():
    texts = _real_texts("imdb", 200, "<br />")
    cleaned = TextCleaner().fit_transform(texts)
    assert len(cleaned) == len(texts)
    assert not any("<br" in doc for doc in cleaned)


def test_fit_on_no_document_is_allowed():
    # Stateless: nothing is learned from the documents, so none is fine.
    cleaner = TextCleaner().fit([])
    assert cleaner.transform([]) == [] and cleaner.transform(["A"]) == ["a"]
    assert TextCleaner().fit_transform(["", "  "]) == ["", ""]


# The tag-and-comment pattern before it was made linear: the reference for
# what strip_html removes.
_QUADRATIC_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)


@settings(deadline=None, max_examples=2000)
@given(st.text(alphabet="<!->ab /\n", max_size=60))
def test_strip_html_removes_what_the_reference_pattern_removes(doc):
    assert _strip_html(doc) == _QUADRATIC_HTML.sub(" ", doc)


@pytest.mark.parametrize("unit", ["<!--", "<!-- a --><a b", "<a", "<a <b", "&amp;<!--"])
def test_strip_html_is_linear_on_unclosed_comments_and_tags(assert_linear_time, unit):
    cleaner = TextCleaner(**{**ONLY_COLLAPSE, "strip_html": True}).fit([])
    assert_linear_time(cleaner.transform, lambda n: [unit * (n // len(unit))], 20_000)


@pytest.mark.parametrize("unit", ["\U0001f44d\u200d", "\U0001f1fa", "\U0001f44d\U0001f3fd"])
def test_emojis_are_linear_on_long_runs_without_spaces(assert_linear_time, unit):
    cleaner = TextCleaner(**{**ONLY_COLLAPSE, "emojis": "name"}).fit([])
    assert_linear_time(cleaner.transform, lambda n: [unit * (n // len(unit))], 5_000)


EMOJI_TEXT = st.text(alphabet=st.sampled_from(
    ["\U0001f44d", "\U0001f3fd", "\u200d", "\U0001f1fa", "\U0001f1f8", "\ufe0f", "#", "\u20e3",
     "\u2764", "\U0001f525", "a", " ", "\n", "\U0001f468", "\U0001f469", "\U0001f467"]),
    max_size=40)


@settings(deadline=None, max_examples=1000)
@given(EMOJI_TEXT)
def test_emoji_names_are_those_of_the_emoji_package(doc):
    # Runs of up to 4096 characters without whitespace go to emoji as they are.
    assert _replace_emojis(" ", doc) == emoji.replace_emoji(doc, replace=" ")
    assert _replace_emojis(_emoji_name, doc) == emoji.replace_emoji(doc, replace=_emoji_name)


def test_caches_hold_words_not_whole_documents():
    for cached in (_without_symbols, _without_punctuation):
        cached.cache_clear()
    # Chinese has no spaces: one long run of letters and CJK commas.
    long_run = "\u4e2d\u6587\u3001" * 20_000
    cleaner = TextCleaner(remove_punctuation=True).fit([])
    assert cleaner.transform([long_run]) == [("\u4e2d\u6587 " * 20_000).strip()]
    assert _without_symbols.cache_info().currsize == 0
    assert _without_punctuation.cache_info().currsize == 0
    cleaner.transform(["caf\xe9 \u2211 cr\xe8me"])
    assert _without_symbols.cache_info().currsize > 0
