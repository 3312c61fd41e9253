"""Convolutional heads: 1-d convolutions over word embeddings, as sklearn estimators."""

from numbers import Integral, Real

import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor

from .._compat import Interval, StrOptions
from ._dataset import SequenceDataset
from ._docs import head_doc
from ._targets import ClassifierHeadMixin, RegressorHeadMixin
from .modules import CNNModule

_CNN_SHORTCUTS = ("architecture", "num_filters", "kernel_sizes", "dropout")
_CNN_CONSTRAINTS = {
    "architecture": [StrOptions({"kim", "deep"})],
    "num_filters": [Interval(Integral, 1, None, closed="left"), None],
    "kernel_sizes": [tuple, list, None],
    "dropout": [Interval(Real, 0, 1, closed="left"), None],
}

# Kim's (2014) CNN-rand learns 300-d vectors.  At 50-d (the other heads'
# default) it scored 75.1 % on MR folds 0-3, at 300-d 77.2 % (Kim: 76.1 %).
_CNN_EMBEDDING_DIM = {
    "embedding_dim": 300,
    "embedding_dim_why": "\n        300, as Kim (2014): on MR a 300-d random embedding scored ~2\n"
                         "        points above a 50-d one (benchmarks/RESULTS.md).",
}

_DOC = """{title}

    Padded id sequences go through an embedding, 1-d convolutions with max
    over time and dense layers (:class:`~sklearn_embed.heads.modules.CNNModule`).
    Fitted on the output of ``SequenceIndexer.transform`` the head starts from
    the indexer's pretrained embedding matrix; fitted on a plain int array it
    learns an embedding from scratch.  ``"kim"`` convolves "wide", as Kim
    does: every window that holds a real token counts, the first and last
    words included at every offset of a filter.  Windows of padding only are
    masked, so the output does not depend on padding length or side, and any
    sequence length works.

    Parameters
    ----------
    module : torch module class, default=CNNModule
        Called with the shortcuts below, ``num_embeddings``, ``embedding_dim``,
        ``embedding_weights``, ``output_size`` and any ``module__<name>``.
    architecture : {{"kim", "deep"}}, default="kim"
        ``"kim"``: kernel sizes (3, 4, 5) x 100 filters, ReLU, max over time,
        concatenation, dropout 0.5 (Kim, 2014).  ``"deep"``: the Keras
        20-Newsgroups example, Conv(128, 5) + MaxPool(5) twice, Conv(128, 5) +
        global max, Dense(128).
    num_filters : int, default=None
        Filters per convolution; None: 100 ("kim") or 128 ("deep").
    kernel_sizes : tuple of int, default=None
        Parallel ("kim") or stacked ("deep") kernel sizes; None: (3, 4, 5) or
        (5, 5, 5).
    dropout : float, default=None
        Before the output layer(s); None: 0.5 ("kim") or 0.0 ("deep").
{extra_params}{shared_params}
    Attributes
    ----------
{extra_attributes}{shared_attributes}
    See Also
    --------
    LSTMClassifier, LSTMRegressor : recurrent heads with the same interface.

    Examples
    --------
{examples}"""


class CNNClassifier(ClassifierHeadMixin, NeuralNetClassifier):
    __doc__ = head_doc(
        _DOC,
        classifier=True,
        title="Text classifier: 1-d CNN over word embeddings.",
        **_CNN_EMBEDDING_DIM,
        examples="""\
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_embed import CNNClassifier, SequenceIndexer
    >>> docs = ["a great movie", "a dull film", "great acting", "a boring story"]
    >>> pipe = make_pipeline(SequenceIndexer(maxlen=5), CNNClassifier(
    ...     num_filters=4, max_epochs=2, train_split=None, random_state=0))
    >>> pipe.fit(docs, ["pos", "neg", "pos", "neg"]).predict_proba(docs).shape
    (4, 2)
    >>> pipe[-1].pretrained_embedding_  # GloVe, named once in the indexer
    True

    Plain int ids carry no pretrained vectors: learning the embedding from
    scratch is asked for explicitly.

    >>> X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])
    >>> clf = CNNClassifier(num_filters=4, pretrained=False, max_epochs=2,
    ...                     train_split=None, random_state=0).fit(X, [0, 1, 0, 1])
    >>> clf.predict(X).shape
    (4,)
""",
    )

    _module_shortcuts = _CNN_SHORTCUTS
    _parameter_constraints = {**ClassifierHeadMixin._parameter_constraints, **_CNN_CONSTRAINTS}

    def __init__(
        self,
        module=CNNModule,
        *,
        architecture="kim",
        num_filters=None,
        kernel_sizes=None,
        dropout=None,
        class_weight=None,
        pretrained=True,
        embedding_dim=300,
        freeze=True,
        random_state=None,
        n_threads=1,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=25,
        batch_size=64,
        train_split=0.1,
        device="auto",
        verbose=0,
        dataset=SequenceDataset,
        iterator_train__shuffle=True,
        **kwargs,
    ):
        self._init_head(locals())


class CNNRegressor(RegressorHeadMixin, NeuralNetRegressor):
    __doc__ = head_doc(
        _DOC,
        classifier=False,
        title="Text regressor: 1-d CNN over word embeddings.",
        **_CNN_EMBEDDING_DIM,
        examples="""\
    >>> import numpy as np
    >>> from sklearn_embed import CNNRegressor
    >>> X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])
    >>> reg = CNNRegressor(num_filters=4, pretrained=False, max_epochs=2, train_split=None,
    ...                    random_state=0).fit(X, [0.0, 1.0, 0.1, 0.9])
    >>> reg.predict(X).shape
    (4,)
""",
    )

    _module_shortcuts = _CNN_SHORTCUTS
    _parameter_constraints = {**RegressorHeadMixin._parameter_constraints, **_CNN_CONSTRAINTS}

    def __init__(
        self,
        module=CNNModule,
        *,
        architecture="kim",
        num_filters=None,
        kernel_sizes=None,
        dropout=None,
        pretrained=True,
        embedding_dim=300,
        freeze=True,
        random_state=None,
        n_threads=1,
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=25,
        batch_size=64,
        train_split=0.1,
        device="auto",
        verbose=0,
        dataset=SequenceDataset,
        iterator_train__shuffle=True,
        **kwargs,
    ):
        self._init_head(locals())
