"""Docstring sections shared by the four heads."""

_SHARED_PARAMS_DOC = """\
    pretrained : bool, default=True
        ``True``: the embedding starts from the matrix that ``SequenceIndexer``
        attaches to its output (an :class:`~sklearn_embed.IndexedSequences`);
        an ``X`` without one is an error that names what most likely dropped
        it (pandas output, a ``ColumnTransformer``...), never a silent switch
        to random vectors.  ``False``: the embedding is learned from scratch
        (``embedding_dim`` wide, random start), whatever ``X`` carries; the
        explicit choice for plain int arrays.
    embedding_dim : int, default={embedding_dim}
        Vector size of an embedding learned from scratch (``pretrained=False``);
        a pretrained matrix fixes the size itself.{embedding_dim_why}
    freeze : bool or int, default={freeze}
        For a pretrained embedding, ``True``: never updated
        (``requires_grad=False``); ``False``: fine-tuned; ``n``: frozen for the
        first ``n`` epochs, then fine-tuned (the ``embedding_freezer``
        callback).  An embedding learned from scratch is always trained.
    n_threads : int or None, default=1
        Torch threads (intra-op) while the head fits and predicts, restored
        afterwards.  One thread is the default because torch's threads
        busy-wait: on a shared or loaded CPU two threads fitted an LSTM ~10x
        slower than one.  Raise it on a dedicated multi-core machine; None
        leaves torch's own setting.
    random_state : int, RandomState instance or None, default=None
        Seeds torch (weights, batch order, dropout) and the validation split at
        fit, so two fits on the CPU give identical results.
    criterion, optimizer, lr, max_epochs, batch_size : see skorch
        Defaults: {criterion}, {training}, ``64``.
    train_split : float, callable or None, default=0.1
        A float holds out that fraction for validation ({split}, seeded by
        ``random_state``); a callable such as ``skorch.dataset.ValidSplit`` is
        used as is; ``None`` trains on everything.  With validation data, the
        ``early_stopping`` callback stops when {stop_score} has not improved
        for 5 epochs and restores the best epoch's weights; without, training
        runs ``max_epochs`` epochs.
    device : str, torch.device or None, default="auto"
        ``"auto"`` picks ``"cuda"`` when available, else ``"cpu"``, when
        ``fit`` runs (and again when unpickled); the choice is ``device_``.
    verbose : int, default=0
    **kwargs
        Any other skorch parameter: ``module__<name>`` (overrides the
        shortcuts above), ``callbacks``, ``callbacks__<name>__<param>``,
        ``iterator_train__shuffle`` (default True), ``warm_start``...
"""

_SHARED_ATTRIBUTES_DOC = """\
    num_embeddings_ : int
        Vocabulary size of the embedding: rows of ``X.embedding_matrix``, else
        ``X.vocab_size``, else ``X.max() + 1``.  Larger ids at predict time
        raise a ``ValueError``.
    pretrained_embedding_ : bool
        Whether the embedding started from ``X.embedding_matrix``.
    n_features_in_ : int
        Sequence length (``maxlen``) of the ``X`` seen at fit; other lengths
        are accepted later.
    n_outputs_ : int
        Size of the module's output.
    device_ : str
        Device the module lives on.
    module_ : torch.nn.Module
        The trained module.
    history_ : skorch.History
        Per-epoch losses and scores, e.g. ``head.history_[:, "valid_loss"]``
        for a learning curve.
"""

_CLASSIFIER_EXTRA_PARAMS = """\
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the cross-entropy loss, as in scikit-learn.
"""

_CLASSIFIER_EXTRA_ATTRIBUTES = """\
    classes_ : ndarray of shape (n_classes,)
        Labels seen at fit (any type); ``predict`` returns them and
        ``predict_proba`` columns follow them.
    class_weight_ : ndarray of shape (n_classes,) or None
        Loss weight of each class.
"""


#: The training defaults of the CNN and LSTM heads, as the docstring states them.
_TRAINING_DOC = "``torch.optim.Adam``, ``1e-3``, ``25``"


def head_doc(template, *, classifier, title, examples, freeze=True, training=_TRAINING_DOC,
             embedding_dim=50, embedding_dim_why=""):
    """Fill a head module's docstring ``template`` for its classifier or regressor.

    ``freeze``, ``training`` (optimizer, lr and max_epochs, as the docstring
    says them) and ``embedding_dim`` (with the reason, ``embedding_dim_why``)
    are the defaults of a head whose own differ from the others'.
    """
    if classifier:
        criterion, split = "``torch.nn.CrossEntropyLoss``", "stratified"
        stop_score = "validation accuracy (``valid_acc``)"
        extra_params, extra_attributes = _CLASSIFIER_EXTRA_PARAMS, _CLASSIFIER_EXTRA_ATTRIBUTES
    else:
        criterion, split = "``torch.nn.MSELoss``", "shuffled"
        stop_score = "the validation loss (``valid_loss``)"
        extra_params = extra_attributes = ""
    return template.format(
        title=title,
        extra_params=extra_params,
        shared_params=_SHARED_PARAMS_DOC.format(
            criterion=criterion, split=split, stop_score=stop_score, freeze=freeze,
            training=training, embedding_dim=embedding_dim,
            embedding_dim_why=embedding_dim_why),
        extra_attributes=extra_attributes,
        shared_attributes=_SHARED_ATTRIBUTES_DOC,
        examples=examples,
    )
