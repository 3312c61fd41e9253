"""Freezing and unfreezing the embedding layer during training.

Why not skorch's ``Freezer``/``Unfreezer``: they match parameters by name
pattern and act once at a given epoch, whereas :class:`EmbeddingFreezer` finds
the module's ``nn.Embedding`` whatever it is called (user modules included) and
sets its state at every epoch, so ``partial_fit`` and ``warm_start`` keep the
schedule.
"""

from skorch.callbacks import Callback, EarlyStopping, PrintLog
from torch import nn


def find_embedding(module):
    """Return the ``nn.Embedding`` of ``module``: its ``embedding`` attribute,
    else its first ``nn.Embedding`` submodule.

    Raises
    ------
    ValueError
        When the module has no embedding layer.
    """
    embedding = getattr(module, "embedding", None)
    if isinstance(embedding, nn.Embedding):
        return embedding
    for submodule in module.modules():
        if isinstance(submodule, nn.Embedding):
            return submodule
    raise ValueError(
        f"{type(module).__name__} has no nn.Embedding layer to freeze; name it "
        "'embedding' or use freeze=False."
    )


class EmbeddingFreezer(Callback):
    """Keep the net's embedding frozen for the first epochs, then fine-tune it.

    At the start of every epoch the embedding weight's ``requires_grad`` is
    set, so a frozen embedding gets no gradient, is left alone by the
    optimizer (torch optimizers skip parameters without a gradient) and is not
    counted among the trainable parameters.  Epochs are counted in the net's
    history, so training continued with ``partial_fit`` keeps counting.

    Parameters
    ----------
    epochs : int or None, default=None
        Number of epochs with a frozen embedding; ``None`` keeps it frozen for
        the whole training, ``0`` never freezes it.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from sklearn_embed import EmbeddingFreezer, RNNModule
    >>> net = NeuralNetClassifier(
    ...     RNNModule, module__num_embeddings=10, module__hidden_size=4,
    ...     criterion=torch.nn.CrossEntropyLoss, max_epochs=2, train_split=None,
    ...     verbose=0, callbacks=[EmbeddingFreezer(epochs=1)],
    ... ).fit(np.array([[2, 3], [4, 5]]), np.array([0, 1]))
    >>> net.module_.embedding.weight.requires_grad  # fine-tuned from epoch 2 on
    True
    """

    def __init__(self, epochs=None):
        self.epochs = epochs

    def frozen_in_epoch(self, epoch):
        """Whether the embedding is frozen in (1-based) ``epoch``."""
        return self.epochs is None or epoch <= self.epochs

    def on_epoch_begin(self, net, **kwargs):
        # The net adds this epoch's history row before its callbacks are told.
        # An embedding a head learns from scratch has nothing to keep: trained.
        pretrained = getattr(net, "pretrained_embedding_", True)
        frozen = pretrained and self.frozen_in_epoch(len(net.history))
        find_embedding(net.module_).weight.requires_grad_(not frozen)


class ReportingEarlyStopping(EarlyStopping):
    """skorch's ``EarlyStopping``, which also prints the epoch that stops training.

    skorch's ``PrintLog`` runs after every other callback, so the row of the
    epoch whose score triggers the stop was never printed: the stop interrupts
    the epoch first.  This prints that row, then skorch's own messages.  The
    heads use it as their ``early_stopping`` callback.

    Parameters
    ----------
    monitor, patience, load_best, ... : see ``skorch.callbacks.EarlyStopping``

    Examples
    --------
    >>> from sklearn_embed import ReportingEarlyStopping
    >>> from sklearn_embed import CNNClassifier
    >>> callbacks = dict(CNNClassifier().get_default_callbacks())
    >>> isinstance(callbacks["early_stopping"], ReportingEarlyStopping)
    True
    """

    def on_epoch_end(self, net, **kwargs):
        messages, sink = [], self.sink
        self.sink = messages.append
        try:
            super().on_epoch_end(net, **kwargs)
        except KeyboardInterrupt:
            if net.verbose:
                for _, callback in net.callbacks_:
                    if isinstance(callback, PrintLog):
                        callback.on_epoch_end(net, **kwargs)
            raise
        finally:
            self.sink = sink
            for message in messages:
                sink(message)
