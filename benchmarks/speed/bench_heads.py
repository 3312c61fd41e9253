"""Time per epoch of CNNClassifier against a hand-written PyTorch loop, with
training batches bucketed by length (the heads' default) and without.

Both train the same ``CNNModule`` (Kim architecture, frozen embedding) with
the same Adam, loss, batch size and batch order on the same data, held as
tensors; the head runs with ``train_split=None`` so no validation, early
stopping or LR scheduling happens.  Seeded alike, the two runs perform the
same computation, which the matching final losses confirm.  "bucketed": both
draw their batches from ``LengthBucketSampler`` (sequences of similar length,
each batch cut to its longest); "shuffled": plain shuffled batches
(``iterator_train__bucket_batches=None``, what the heads did before), which
at ``maxlen=400`` are nearly all 400 ids wide.  The "vs shuffled" column is the
epoch speed-up of bucketing; "held-out acc" scores each model, after its last
epoch, on ``--n-test`` reviews it did not train on.

    python -m benchmarks.speed.bench_heads                 # 5000 synthetic sequences, CPU
    python -m benchmarks.speed.bench_heads --imdb          # real IMDB reviews
    python -m benchmarks.speed.bench_heads --imdb --maxlen 400 --batching bucketed shuffled
    python -m benchmarks.speed.bench_heads --device cuda   # CPU and GPU, with the speed-up
    python -m benchmarks.speed.bench_heads --threads-under-load   # n_threads 1 vs 2, idle/loaded

IMDB is read from $SKLEARN_EMBED_DATA/imdb.parquet and
tokenised with scikit-learn's CountVectorizer analyzer; the embedding is
random (the timing does not depend on the vectors).
"""

import argparse
import os
import statistics
import time
from collections import Counter

import numpy as np
import torch
from skorch.callbacks import Callback
from torch.utils.data import DataLoader

from sklearn_embed import IndexedSequences
from sklearn_embed.heads import CNNClassifier, CNNModule
from sklearn_embed.heads._dataset import LengthBucketSampler, SequenceDataset


def synthetic_data(n_samples, maxlen, vocab_size, rng):
    lengths = rng.randint(maxlen // 4, maxlen + 1, n_samples)
    X = np.zeros((n_samples, maxlen), dtype=np.int64)
    for i, length in enumerate(lengths):
        X[i, :length] = rng.randint(3, vocab_size, length)
    y = rng.randint(0, 2, n_samples)
    for i in np.flatnonzero(y):
        X[i, rng.randint(lengths[i])] = 2  # the class marker
    return X, y


def imdb_data(n_samples, maxlen, vocab_size, rng):
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer

    from sklearn_embed.datasets import get_data_home

    path = get_data_home() / "imdb.parquet"
    frame = pd.read_parquet(path, columns=["split", "text", "label"])
    frame = frame[frame["split"] == "train"]
    frame = frame.iloc[rng.permutation(len(frame))[:n_samples]]
    analyzer = CountVectorizer().build_analyzer()
    docs = [analyzer(text) for text in frame["text"]]
    counts = Counter(token for doc in docs for token in doc)
    index = {w: i + 2 for i, (w, _) in enumerate(counts.most_common(vocab_size - 2))}
    X = np.zeros((len(docs), maxlen), dtype=np.int64)
    for i, doc in enumerate(docs):
        ids = [index.get(token, 1) for token in doc[:maxlen]]
        X[i, :len(ids)] = ids
    y = (frame["label"].to_numpy() == "pos").astype(np.int64)
    return X, y


class EpochClock(Callback):
    """Wall and CPU seconds of each epoch, recorded in the history."""

    def on_epoch_begin(self, net, **kwargs):
        self.started_ = (time.perf_counter(), time.process_time())

    def on_epoch_end(self, net, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        net.history.record("wall", wall - self.started_[0])
        net.history.record("cpu", cpu - self.started_[1])


def _held_out_accuracy(predict, test):
    X_test, y_test = test
    # Forked: the head's predict iterates a DataLoader, which draws a seed from
    # the global generator; the runners' batch orders must not depend on it.
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        return float(np.mean(predict(X_test) == y_test))


def head_epochs(X, y, args, device, bucketed, test):
    """The head, one epoch per ``fit`` call (``warm_start`` continues training)."""
    head = CNNClassifier(
        architecture="kim", freeze=True, train_split=None, max_epochs=1, n_threads=None,
        batch_size=args.batch_size, device=device, warm_start=True,
        callbacks=[("clock", EpochClock())],
    )
    if not bucketed:
        head.set_params(iterator_train__bucket_batches=None)
    while True:
        start = time.perf_counter()
        head.fit(X, y)
        fit_wall = time.perf_counter() - start
        row = head.history_[-1]
        accuracy = _held_out_accuracy(head.predict, test)
        yield row["wall"], row["cpu"], fit_wall, row["train_loss"], accuracy


def loop_epochs(X, y, args, device, bucketed, test):
    """What a PyTorch user would write by hand."""
    start = time.perf_counter()
    X_t = torch.as_tensor(np.asarray(X))
    y_t = torch.as_tensor(y)
    module = CNNModule(
        embedding_weights=X.embedding_matrix, output_size=2, architecture="kim"
    ).to(device)
    module.embedding.weight.requires_grad_(False)
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    # Index batches drawn exactly like the head's DataLoader draws them.
    if bucketed:
        lengths = SequenceDataset(X_t).lengths
        batches = DataLoader(range(len(y_t)), collate_fn=torch.as_tensor,
                             batch_sampler=LengthBucketSampler(lengths, args.batch_size))
    else:
        batches = DataLoader(range(len(y_t)), batch_size=args.batch_size, shuffle=True,
                             collate_fn=torch.as_tensor)
        lengths = None

    def predict(X_new):
        module.eval()
        logits = torch.cat([module(torch.as_tensor(X_new[i:i + 256]).to(device)).cpu()
                            for i in range(0, len(X_new), 256)])
        return logits.argmax(dim=1).numpy()

    setup = time.perf_counter() - start
    while True:
        wall, cpu = time.perf_counter(), time.process_time()
        module.train()
        total, count = 0.0, 0
        for index in batches:
            xb = X_t[index] if lengths is None else X_t[index, :int(lengths[index].max())]
            xb, yb = xb.to(device), y_t[index].to(device)
            optimizer.zero_grad()
            loss = criterion(module(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
            count += len(index)
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        yield wall, cpu, wall + setup, total / count, _held_out_accuracy(predict, test)
        setup = 0.0


def _rng_state(device):
    return (torch.get_rng_state(),
            torch.cuda.get_rng_state() if device.startswith("cuda") else None)


def _set_rng_state(state):
    torch.set_rng_state(state[0])
    if state[1] is not None:
        torch.cuda.set_rng_state(state[1])


def run(X, y, args, device, test):
    """Alternate epochs of the runners, so that changing machine load hits all alike.

    Each keeps its own torch RNG stream, seeded alike, so the head and the loop
    of one batching draw the same weights, batches and dropout masks as if run
    alone.
    """
    results = {(name, batching): [] for batching in args.batching
               for name in ("CNNClassifier", "PyTorch loop")}
    for repeat in range(args.repeats):
        torch.manual_seed(repeat)
        seeded = _rng_state(device)
        runners = {}
        for batching in args.batching:
            bucketed = batching == "bucketed"
            runners[("CNNClassifier", batching)] = [
                head_epochs(X, y, args, device, bucketed, test), seeded]
            runners[("PyTorch loop", batching)] = [
                loop_epochs(X, y, args, device, bucketed, test), seeded]
        if repeat % 2:  # take turns at going first (and paying warm-ups)
            runners = dict(reversed(runners.items()))
        for _ in range(args.epochs):
            for name, runner in runners.items():
                _set_rng_state(runner[1])
                results[name].append(next(runner[0]))
                runner[1] = _rng_state(device)
    summary = {}
    for key, rows in results.items():
        wall, cpu, fit_wall, loss, accuracy = zip(*rows)
        # min over epochs as well: on a shared machine the best is the least disturbed.
        summary[key] = (statistics.median(wall), statistics.median(cpu),
                        sum(fit_wall) / len(fit_wall), loss[-1], accuracy[-1], min(wall))
    return summary


def _spin():
    while True:
        pass


def threads_under_load(args):
    """LSTMClassifier fit time with ``n_threads`` 1 and 2, on an idle CPU and with one
    core kept busy by another process (the shared-machine case)."""
    import multiprocessing

    from sklearn_embed import LSTMClassifier

    rng = np.random.RandomState(0)
    ids, y = synthetic_data(args.n_samples, args.maxlen, args.vocab_size, rng)
    matrix = rng.normal(scale=0.1, size=(args.vocab_size, args.dim)).astype(np.float32)
    X = IndexedSequences(ids, embedding_matrix=matrix)
    print(f"LSTMClassifier(hidden_size=64), {len(y)} sequences x {args.maxlen} ids, "
          f"{args.epochs} epochs, best of {args.repeats}")
    print(f"{'CPU':<10}{'n_threads':>10}{'fit s':>10}{'vs 1 thread':>13}")
    for load in ("idle", "1 busy"):
        spinner = None
        if load != "idle":
            spinner = multiprocessing.Process(target=_spin, daemon=True)
            spinner.start()
        try:
            times = {}
            for threads in (1, 2):
                best = float("inf")
                for _ in range(args.repeats):
                    head = LSTMClassifier(hidden_size=64, max_epochs=args.epochs,
                                          train_split=None, n_threads=threads,
                                          random_state=0)
                    start = time.perf_counter()
                    head.fit(X, y)
                    best = min(best, time.perf_counter() - start)
                times[threads] = best
                print(f"{load:<10}{threads:>10}{best:>10.2f}{best / times[1]:>12.2f}x",
                      flush=True)
        finally:
            if spinner is not None:
                spinner.terminate()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--imdb", action="store_true", help="use real IMDB reviews")
    parser.add_argument("--device", default="cpu", help="'cuda' adds a GPU run")
    parser.add_argument("--n-samples", type=int, default=5000)
    parser.add_argument("--maxlen", type=int, default=200)
    parser.add_argument("--vocab-size", type=int, default=20000)
    parser.add_argument("--dim", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--n-test", type=int, default=1000,
                        help="held-out sequences for the accuracy column")
    parser.add_argument("--batching", nargs="+", choices=["bucketed", "shuffled"],
                        default=["bucketed", "shuffled"])
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--threads-under-load", action="store_true",
                        help="time LSTMClassifier fits with n_threads 1 and 2, idle and with "
                             "one core busy")
    args = parser.parse_args()
    if args.threads_under_load:
        threads_under_load(args)
        return
    if args.threads:
        torch.set_num_threads(args.threads)

    rng = np.random.RandomState(0)
    make = imdb_data if args.imdb else synthetic_data
    ids, y = make(args.n_samples + args.n_test, args.maxlen, args.vocab_size, rng)
    ids, y, test = ids[:args.n_samples], y[:args.n_samples], (ids[args.n_samples:],
                                                             y[args.n_samples:])
    matrix = rng.normal(scale=0.1, size=(args.vocab_size, args.dim)).astype(np.float32)
    matrix[0] = 0.0
    X = IndexedSequences(ids, embedding_matrix=matrix)
    real = (ids != 0).sum(axis=1)
    print(
        f"data: {'IMDB' if args.imdb else 'synthetic'}, {len(y)} sequences x {args.maxlen} ids, "
        f"embedding {args.vocab_size}x{args.dim} (frozen), batch {args.batch_size}, "
        f"{args.epochs} epochs x {args.repeats} repeats, torch {torch.__version__}, "
        f"{torch.get_num_threads()} CPU threads, real lengths mean {real.mean():.0f} / "
        f"max {real.max()}, load average {os.getloadavg()[0]:.1f}"
    )

    # The first optimizer built in a process imports torch._dynamo (~1 s): pay it
    # before timing, not in whichever runner happens to go first.
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])
    devices = ["cpu"] + ([args.device] if args.device != "cpu" else [])
    results = {device: run(X, y, args, device, test) for device in devices}

    header = (f"{'name':<15}{'batches':<10}{'device':<8}{'wall s/epoch':>13}{'vs loop':>9}"
              f"{'CPU s/epoch':>13}{'vs loop':>9}{'vs shuffled':>12}{'fit s/epoch':>13}"
              f"{'final loss':>12}{'held-out acc':>14}")
    if len(devices) > 1:
        header += f"{'GPU speed-up':>14}"
    print(header)
    print("-" * len(header))
    for device, rows in results.items():
        for (name, batching), (wall, cpu, fit_wall, loss, accuracy, _) in rows.items():
            loop_wall, loop_cpu = rows[("PyTorch loop", batching)][:2]
            shuffled = rows.get((name, "shuffled"))
            speed_up = f"{shuffled[1] / cpu:>11.2f}x" if shuffled else f"{'':>12}"
            line = (f"{name:<15}{batching:<10}{device:<8}{wall:>13.3f}{wall / loop_wall:>8.3f}x"
                    f"{cpu:>13.3f}{cpu / loop_cpu:>8.3f}x{speed_up}{fit_wall:>13.3f}"
                    f"{loss:>12.5f}{accuracy:>14.4f}")
            if device != "cpu":
                line += f"{results['cpu'][(name, batching)][0] / wall:>13.1f}x"
            print(line)
    print("wall/CPU s/epoch: median over epochs; vs shuffled: CPU s/epoch of shuffled batches "
          "over this row's (the machine is shared: CPU time is the steadier measure); fit "
          "s/epoch: mean wall time of the whole call, setup included (the head's fit "
          "validates and converts X each call)")
    if len(devices) > 1:
        print(f"GPU: {torch.cuda.get_device_name()}")


if __name__ == "__main__":
    main()
