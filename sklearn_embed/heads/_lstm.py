"""Recurrent heads: an LSTM (or GRU) over word embeddings, as sklearn estimators."""

from numbers import Integral, Real

import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor

from .._compat import Interval, StrOptions
from ._dataset import SequenceDataset
from ._docs import head_doc
from ._targets import ClassifierHeadMixin, RegressorHeadMixin
from .modules import RNNModule

_RNN_SHORTCUTS = (
    "cell", "hidden_size", "num_layers", "bidirectional", "dropout", "pooling", "dense_sizes",
)
_RNN_CONSTRAINTS = {
    "cell": [StrOptions({"lstm", "gru"})],
    "hidden_size": [Interval(Integral, 1, None, closed="left")],
    "num_layers": [Interval(Integral, 1, None, closed="left")],
    "bidirectional": ["boolean"],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "pooling": [StrOptions({"last", "max", "mean"})],
    "dense_sizes": [tuple, list],
}

_DOC = """{title}

    Padded id sequences go through an embedding, a recurrent layer, pooling
    over time and dense layers (:class:`~sklearn_embed.heads.modules.RNNModule`).
    Fitted on the output of ``SequenceIndexer.transform`` the head starts from
    the indexer's pretrained embedding matrix; fitted on a plain int array it
    learns an embedding from scratch.  Padding is masked: the output does not
    depend on padding length or side.

    Parameters
    ----------
    module : torch module class, default=RNNModule
        Called with the shortcuts below, ``num_embeddings``, ``embedding_dim``,
        ``embedding_weights``, ``output_size`` and any ``module__<name>``.
    cell : {{"lstm", "gru"}}, default="lstm"
    hidden_size : int, default=64
    num_layers : int, default=1
    bidirectional : bool, default=False
    dropout : float, default=0.0
        Between stacked recurrent layers and before every dense layer.
    pooling : {{"last", "max", "mean"}}, default="last"
        Last real step (the word2vec tutorial), or max / mean over real steps
        (``pooling="max", dense_sizes=(64,)`` is the tweet tutorial).
    dense_sizes : tuple of int, default=()
        Hidden dense layers (ReLU) before the output layer.
{extra_params}{shared_params}
    Attributes
    ----------
{extra_attributes}{shared_attributes}
    See Also
    --------
    CNNClassifier, CNNRegressor : convolutional heads with the same interface.
    sklearn_embed.heads.callbacks.EmbeddingFreezer : the ``freeze=n`` schedule.

    Examples
    --------
{examples}"""


class LSTMClassifier(ClassifierHeadMixin, NeuralNetClassifier):
    __doc__ = head_doc(
        _DOC,
        classifier=True,
        title="Text classifier: LSTM or GRU over word embeddings.",
        examples="""\
    >>> import numpy as np
    >>> from sklearn_embed import LSTMClassifier
    >>> X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])
    >>> y = ["neg", "pos", "neg", "pos"]
    >>> clf = LSTMClassifier(hidden_size=4, pretrained=False, max_epochs=2, train_split=None,
    ...                      random_state=0).fit(X, y)
    >>> clf.classes_.tolist(), clf.predict_proba(X).shape, clf.predict(X).shape
    (['neg', 'pos'], (4, 2), (4,))
""",
    )

    _module_shortcuts = _RNN_SHORTCUTS
    _parameter_constraints = {**ClassifierHeadMixin._parameter_constraints, **_RNN_CONSTRAINTS}

    def __init__(
        self,
        module=RNNModule,
        *,
        cell="lstm",
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        pooling="last",
        dense_sizes=(),
        class_weight=None,
        pretrained=True,
        embedding_dim=50,
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


class LSTMRegressor(RegressorHeadMixin, NeuralNetRegressor):
    __doc__ = head_doc(
        _DOC,
        classifier=False,
        title="Text regressor: LSTM or GRU over word embeddings.",
        examples="""\
    >>> import numpy as np
    >>> from sklearn_embed import LSTMRegressor
    >>> X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])
    >>> reg = LSTMRegressor(hidden_size=4, pretrained=False, max_epochs=2, train_split=None,
    ...                     random_state=0).fit(X, [0.0, 1.0, 0.1, 0.9])
    >>> reg.predict(X).shape
    (4,)
""",
    )

    _module_shortcuts = _RNN_SHORTCUTS
    _parameter_constraints = {**RegressorHeadMixin._parameter_constraints, **_RNN_CONSTRAINTS}

    def __init__(
        self,
        module=RNNModule,
        *,
        cell="lstm",
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        pooling="last",
        dense_sizes=(),
        pretrained=True,
        embedding_dim=50,
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
