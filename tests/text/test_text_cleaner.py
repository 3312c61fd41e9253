import os
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import config_context
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import make_pipeline

from sklearn_embed import TextCleaner
from sklearn_embed._compat import InvalidParameterError
from sklearn_embed.text._abbreviations import CHAT_ABBREVIATIONS
from tests.conftest import data_dir

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


def test_set_output_is_not_offered_and_pandas_output_config_is_ignored():
    assert not hasattr(TextCleaner(), "set_output")
    with config_context(transform_output="pandas"):
        assert TextCleaner().fit_transform(["A b"]) == ["a b"]


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


@settings(deadline=None, max_examples=150)
@given(docs=st.lists(st.text()), every_step=st.booleans())
def test_arbitrary_unicode_never_crashes(docs, every_step):
    cleaner = TextCleaner(**(EVERY_STEP_ON if every_step else {}))
    cleaned = cleaner.fit_transform(docs)
    assert isinstance(cleaned, list)
    assert len(cleaned) == len(docs)
    for doc in cleaned:
        assert isinstance(doc, str)
        assert "  " not in doc
        assert doc == doc.strip()


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
