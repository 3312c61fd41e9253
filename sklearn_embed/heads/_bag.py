"""Bag-of-embeddings heads: pooled word and hashed bigram vectors (fastText, SWEM)."""

import warnings
from numbers import Integral, Real

import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor

from .._compat import Interval, StrOptions
from ._dataset import SequenceDataset
from ._docs import head_doc
from ._targets import ClassifierHeadMixin, RegressorHeadMixin
from .modules import EmbeddingBagModule

_BAG_SHORTCUTS = ("pooling", "bigram_buckets", "hidden_size", "dropout")
_BAG_CONSTRAINTS = {
    "pooling": [StrOptions({"mean", "max", "mean_max"})],
    "bigram_buckets": [Interval(Integral, 0, None, closed="left")],
    "hidden_size": [Interval(Integral, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left")],
}

# Optimizers that take the sparse gradients of EmbeddingBagModule(sparse=True).
_SPARSE_OPTIMIZERS = (torch.optim.Adagrad, torch.optim.SGD, torch.optim.SparseAdam)


class _BagMixin:
    """What both bag heads add: sparse embedding gradients when the optimizer takes them."""

    def _module_kwargs(self):
        kwargs = super()._module_kwargs()
        # A step of a dense optimizer over the embeddings costs the whole
        # tables; with sparse gradients Adagrad updates only the rows of the
        # batch.  Only our module knows the parameter; a user module is left alone.
        if isinstance(self.module, type) and issubclass(self.module, EmbeddingBagModule):
            optimizer = self.optimizer
            kwargs.setdefault("sparse", isinstance(optimizer, type) and issubclass(
                optimizer, _SPARSE_OPTIMIZERS))
        return kwargs

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        with warnings.catch_warnings():
            # torch warns, on the first sparse gradient Adagrad builds, that it
            # skips the sparse tensors' (costly) invariant checks: nothing the
            # user of this head can act on.
            warnings.filterwarnings("ignore", message="Sparse invariant checks",
                                    category=UserWarning)
            return super().fit_loop(X, y, epochs=epochs, **fit_params)


_DOC = """{title}

    The mean (and/or max) of a sequence's word vectors, and optionally of
    hashed vectors of its word bigrams, goes through a linear layer, or one hidden layer
    (:class:`~sklearn_embed.heads.modules.EmbeddingBagModule`): fastText's
    model, and SWEM's.  Much faster than the CNN and LSTM heads: on the 25,000
    IMDB training reviews it fits in ~12 CPU seconds to 88 % test accuracy, as
    official fastText does with words only, and in ~40 CPU seconds to 90 % with
    ``bigram_buckets=2_000_000, lr=0.1`` (fastText with bigrams: 89 %).  The bigram vectors are
    always learned; the word vectors start from the indexer's pretrained
    matrix (fitted on ``SequenceIndexer`` output) and, by default, are
    fine-tuned: averaged frozen vectors lose most of a review's sentiment.
    Padding is ignored: the output does not depend on padding length or side.

    Parameters
    ----------
    module : torch module class, default=EmbeddingBagModule
        Called with the shortcuts below, ``num_embeddings``, ``embedding_dim``,
        ``embedding_weights``, ``output_size`` and any ``module__<name>``.
    pooling : {{"mean", "max", "mean_max"}}, default="mean"
        Pooling over the word and bigram vectors; ``"mean_max"``
        concatenates both.
    bigram_buckets : int, default=0
        Rows of the hashed bigram embedding (each pair of consecutive words
        falls in one, fastText's trick); 0 uses words only.  Bigrams raise
        accuracy (IMDB, 2,000,000 buckets and ``lr=0.1``: 90.0 % against
        88.4 %; CR: +2 points; benchmarks/RESULTS.md) but triple the fit time,
        and 2,000,000 x 50 floats take 400 MB, twice that while Adagrad
        trains: so they are off by default, as in fastText and Keras'
        fastText example.
    hidden_size : int, default=0
        A hidden ReLU layer before the output; 0: linear, as fastText.
    dropout : float, default=0.0
        Before every dense layer.
{extra_params}{shared_params}
    Attributes
    ----------
{extra_attributes}{shared_attributes}
    See Also
    --------
    CNNClassifier, LSTMClassifier : order-aware heads with the same interface.

    Examples
    --------
{examples}"""

# This head's own defaults, where they differ from the other heads' (measured
# on IMDB, see benchmarks/accuracy/imdb_fast_head.py): the word vectors are
# fine-tuned (frozen, their mean lost 10 points), and Adagrad takes the sparse
# gradients that keep a step cheap however large the embeddings.
_OWN_DEFAULTS = {
    "freeze": False,
    "training": "``torch.optim.Adagrad`` (sparse embedding gradients), ``0.05``, ``5``",
}


def _bag_doc(**kwargs):
    return head_doc(_DOC, **kwargs, **_OWN_DEFAULTS)


class BagOfEmbeddingsClassifier(_BagMixin, ClassifierHeadMixin, NeuralNetClassifier):
    __doc__ = _bag_doc(
        classifier=True,
        title="Text classifier: fastText-style bag of word and bigram embeddings.",
        examples="""\
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_embed import BagOfEmbeddingsClassifier, SequenceIndexer
    >>> docs = ["a great movie", "a dull film", "great acting", "a boring story"]
    >>> pipe = make_pipeline(SequenceIndexer(maxlen=5), BagOfEmbeddingsClassifier(
    ...     bigram_buckets=100, max_epochs=2, train_split=None, random_state=0))
    >>> pipe.fit(docs, ["pos", "neg", "pos", "neg"]).predict_proba(docs).shape
    (4, 2)
    >>> pipe[-1].module_.bigrams.num_embeddings
    100
""",
    )

    _module_shortcuts = _BAG_SHORTCUTS
    _parameter_constraints = {**ClassifierHeadMixin._parameter_constraints, **_BAG_CONSTRAINTS}

    def __init__(
        self,
        module=EmbeddingBagModule,
        *,
        pooling="mean",
        bigram_buckets=0,
        hidden_size=0,
        dropout=0.0,
        class_weight=None,
        pretrained=True,
        embedding_dim=50,
        freeze=False,
        random_state=None,
        n_threads=1,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adagrad,
        lr=0.05,
        max_epochs=5,
        batch_size=64,
        train_split=0.1,
        device="auto",
        verbose=0,
        dataset=SequenceDataset,
        iterator_train__shuffle=True,
        **kwargs,
    ):
        self._init_head(locals())


class BagOfEmbeddingsRegressor(_BagMixin, RegressorHeadMixin, NeuralNetRegressor):
    __doc__ = _bag_doc(
        classifier=False,
        title="Text regressor: fastText-style bag of word and bigram embeddings.",
        examples="""\
    >>> import numpy as np
    >>> from sklearn_embed import BagOfEmbeddingsRegressor
    >>> X = np.array([[2, 3, 0], [4, 5, 6], [3, 2, 0], [6, 5, 4]])
    >>> reg = BagOfEmbeddingsRegressor(pretrained=False, bigram_buckets=50, max_epochs=2,
    ...                                train_split=None, random_state=0)
    >>> reg.fit(X, [0.0, 1.0, 0.1, 0.9]).predict(X).shape
    (4,)
""",
    )

    _module_shortcuts = _BAG_SHORTCUTS
    _parameter_constraints = {**RegressorHeadMixin._parameter_constraints, **_BAG_CONSTRAINTS}

    def __init__(
        self,
        module=EmbeddingBagModule,
        *,
        pooling="mean",
        bigram_buckets=0,
        hidden_size=0,
        dropout=0.0,
        pretrained=True,
        embedding_dim=50,
        freeze=False,
        random_state=None,
        n_threads=1,
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.Adagrad,
        lr=0.05,
        max_epochs=5,
        batch_size=64,
        train_split=0.1,
        device="auto",
        verbose=0,
        dataset=SequenceDataset,
        iterator_train__shuffle=True,
        **kwargs,
    ):
        self._init_head(locals())
