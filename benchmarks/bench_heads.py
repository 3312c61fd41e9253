"""Time per epoch of CNNClassifier against a hand-written PyTorch loop.

Both train the same ``CNNModule`` (Kim architecture, frozen embedding) with
the same Adam, loss, batch size and batch order on the same data, held as
tensors; the head runs with ``train_split=None`` so no validation, early
stopping or LR scheduling happens.  Seeded alike, the two runs perform the
same computation, which the matching final losses confirm.

    python benchmarks/bench_heads.py                 # 5000 synthetic sequences, CPU
    python benchmarks/bench_heads.py --imdb          # real IMDB reviews
    python benchmarks/bench_heads.py --device cuda   # CPU and GPU, with the speed-up

IMDB is read from $SKLEARN_EMBED_DATA or ../shared/data/imdb.parquet and
tokenised with scikit-learn's CountVectorizer analyzer; the embedding is
random (the timing does not depend on the vectors).
"""

import argparse
import os
import statistics
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader

from sklearn_embed._sequences import IndexedSequences
from sklearn_embed.heads import CNNClassifier, CNNModule


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

    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "imdb.parquet"
    path = Path(os.environ.get("SKLEARN_EMBED_DATA", default))
    if path.is_dir():
        path = path / "imdb.parquet"
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


def time_head(X, y, args, device, seed):
    head = CNNClassifier(
        architecture="kim", freeze=True, train_split=None, max_epochs=args.epochs,
        batch_size=args.batch_size, device=device,
    )
    torch.manual_seed(seed)
    start = time.perf_counter()
    head.fit(X, y)
    wall = time.perf_counter() - start
    durations = list(head.history_[:, "dur"])
    return durations, wall / args.epochs, head.history_[-1, "train_loss"]


def time_loop(X, y, args, device, seed):
    """What a PyTorch user would write by hand."""
    start = time.perf_counter()
    X_t = torch.as_tensor(np.asarray(X))
    y_t = torch.as_tensor(y)
    torch.manual_seed(seed)
    module = CNNModule(
        embedding_weights=X.embedding_matrix, output_size=2, architecture="kim"
    ).to(device)
    module.embedding.weight.requires_grad_(False)
    optimizer = torch.optim.Adam(module.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    # Shuffled index batches drawn exactly like the head's DataLoader draws them.
    batches = DataLoader(range(len(y_t)), batch_size=args.batch_size, shuffle=True,
                         collate_fn=torch.as_tensor)
    durations, mean_loss = [], None
    for _ in range(args.epochs):
        epoch_start = time.perf_counter()
        module.train()
        total, count = 0.0, 0
        for index in batches:
            xb, yb = X_t[index].to(device), y_t[index].to(device)
            optimizer.zero_grad()
            loss = criterion(module(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
            count += len(index)
        mean_loss = total / count
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        durations.append(time.perf_counter() - epoch_start)
    wall = time.perf_counter() - start
    return durations, wall / args.epochs, mean_loss


def run(X, y, args, device):
    head_epochs, loop_epochs, head_walls, loop_walls = [], [], [], []
    for repeat in range(args.repeats):
        # Alternate the two so that drifting machine load hits both alike.
        durations, wall, head_loss = time_head(X, y, args, device, seed=repeat)
        head_epochs += durations
        head_walls.append(wall)
        durations, wall, loop_loss = time_loop(X, y, args, device, seed=repeat)
        loop_epochs += durations
        loop_walls.append(wall)
    return {
        "CNNClassifier": (statistics.median(head_epochs), statistics.median(head_walls), head_loss),
        "PyTorch loop": (statistics.median(loop_epochs), statistics.median(loop_walls), loop_loss),
    }


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
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    rng = np.random.RandomState(0)
    make = imdb_data if args.imdb else synthetic_data
    ids, y = make(args.n_samples, args.maxlen, args.vocab_size, rng)
    matrix = rng.normal(scale=0.1, size=(args.vocab_size, args.dim)).astype(np.float32)
    matrix[0] = 0.0
    X = IndexedSequences(ids, embedding_matrix=matrix)
    print(
        f"data: {'IMDB' if args.imdb else 'synthetic'}, {len(y)} sequences x {args.maxlen} ids, "
        f"embedding {args.vocab_size}x{args.dim} (frozen), batch {args.batch_size}, "
        f"{args.epochs} epochs x {args.repeats} repeats, torch {torch.__version__}, "
        f"{torch.get_num_threads()} CPU threads"
    )

    devices = ["cpu"] + ([args.device] if args.device != "cpu" else [])
    results = {device: run(X, y, args, device) for device in devices}

    header = f"{'name':<15}{'device':<8}{'s/epoch':>9}{'fit s/epoch':>13}{'vs loop':>9}"
    header += f"{'final loss':>12}" + ("  speed-up vs CPU" if len(devices) > 1 else "")
    print(header)
    print("-" * len(header))
    for device, rows in results.items():
        loop = rows["PyTorch loop"][0]
        for name, (per_epoch, wall, loss) in rows.items():
            line = (f"{name:<15}{device:<8}{per_epoch:>9.3f}{wall:>13.3f}"
                    f"{per_epoch / loop:>8.3f}x{loss:>12.5f}")
            if device != "cpu":
                line += f"  {results['cpu'][name][0] / per_epoch:>8.1f}x"
            print(line)
    print("s/epoch: median epoch time; fit s/epoch: whole fit (setup included) / epochs")
    if len(devices) > 1:
        print(f"GPU: {torch.cuda.get_device_name()}")


if __name__ == "__main__":
    main()
