"""The four short-sentence benchmarks of Kim (2014): MR, Subj, CR and MPQA.

Each has no train/test split but a fixed 10-fold cross-validation assignment
(the ``fold`` column), so that results are comparable run to run and with the
published 10-fold figures.
"""

import numpy as np
from sklearn.utils import Bunch

from ._base import _read_parquet, get_data_home

# name -> (labels, one-line description)
SHORT_SENTENCES = {
    "mr": (["neg", "pos"], "one-sentence movie reviews, neg/pos (Pang & Lee 2005)"),
    "subj": (["objective", "subjective"],
             "movie review sentences, subjective/objective (Pang & Lee 2004)"),
    "cr": (["neg", "pos"], "customer reviews of products, neg/pos (Hu & Liu 2004)"),
    "mpqa": (["neg", "pos"], "opinion polarity of short phrases, neg/pos (Wiebe et al. 2005)"),
}

DESCR = """\
Short-sentence benchmarks of Kim (2014), Table 2: {name}
-----------------------------------------------------
{description}.  {n} texts, lower-cased and tokenised with spaces as in the
public harvardnlp/sent-conv-torch repository (data/*.all), each with a fixed
fold 0-9 for 10-fold cross-validation (train on nine folds, test on the
tenth; ``sklearn.model_selection.PredefinedSplit(data.fold)`` yields them).

Kim, Y. (2014). Convolutional Neural Networks for Sentence Classification.
EMNLP 2014.
"""


def load_short_sentences(name, data_home=None, *, return_X_y=False):
    """Load one of the short-sentence benchmarks of Kim (2014) with its 10 folds.

    ======  =======  ===================================
    name    texts    classes
    ======  =======  ===================================
    mr      10,662   'neg', 'pos' (5,331 each)
    subj    10,000   'objective', 'subjective' (5,000 each)
    cr      3,775    'neg' (1,368), 'pos' (2,407)
    mpqa    10,606   'neg' (7,294), 'pos' (3,312)
    ======  =======  ===================================

    Parameters
    ----------
    name : {"mr", "subj", "cr", "mpqa"}
        The dataset, read from ``<name>.parquet``.
    data_home : str or path-like, default=None
        Folder holding the Parquet file; see :func:`get_data_home` for where
        it is looked for when None.
    return_X_y : bool, default=False
        Return ``(X, y, fold)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        X : list of str
            The texts.
        y : ndarray of str
            Their labels.
        fold : ndarray of int
            The fixed fold, 0-9, of each text.
        target_names : list of str
            The labels, sorted.
        DESCR : str
            A description of the dataset.
        frame : pandas.DataFrame
            The columns ``fold``, ``text``, ``label``.
    (X, y, fold) : tuple
        When ``return_X_y`` is True.

    Raises
    ------
    ValueError
        When ``name`` is not one of the four datasets.
    FileNotFoundError
        When ``<name>.parquet`` is not in the data home; the message names the
        path looked for.

    Examples
    --------
    >>> from sklearn_embed.datasets import load_short_sentences
    >>> from sklearn.model_selection import PredefinedSplit
    >>> cr = load_short_sentences("cr")  # doctest: +SKIP
    >>> len(cr.X), cr.target_names, PredefinedSplit(cr.fold).get_n_splits()  # doctest: +SKIP
    (3775, ['neg', 'pos'], 10)
    """
    if name not in SHORT_SENTENCES:
        raise ValueError(
            f"name={name!r} is not one of the short-sentence datasets; "
            f"use one of {', '.join(repr(n) for n in SHORT_SENTENCES)}."
        )
    home = get_data_home(data_home)
    path = home / f"{name}.parquet"
    if not path.is_file():
        raise FileNotFoundError(
            f"The {name} dataset was not found; looked for {path}. To provide it, set the "
            f"SKLEARN_EMBED_DATA environment variable to the folder that holds {name}.parquet "
            "or pass data_home=<that folder>."
        )
    frame = _read_parquet(path, columns=["fold", "text", "label"])
    X = frame["text"].tolist()
    y = frame["label"].to_numpy(dtype=object)
    fold = frame["fold"].to_numpy(dtype=np.int64)
    if return_X_y:
        return X, y, fold
    target_names, description = SHORT_SENTENCES[name]
    return Bunch(X=X, y=y, fold=fold, target_names=list(target_names),
                 DESCR=DESCR.format(name=name.upper(), description=description, n=len(X)),
                 frame=frame)
