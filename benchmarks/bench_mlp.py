"""Benchmark: the seed's MLP in our NumPy engine against PyTorch (CPU), interleaved A B A B.

784-512-10 (ReLU, dropout 0.1), Adam lr 1e-3, batch 128, float32, 2 threads for both; an
"epoch" is 469 batches (one pass over MNIST's 60,000 training images). Prints every round,
the median epoch-time ratio ours/PyTorch and the single-image inference latency.

    .venv/bin/pip install torch==2.13.0     # a local CPU build on these machines
    .venv/bin/python benchmarks/bench_mlp.py [--rounds 5] [--threads 2]
"""

from compare import parse_args, run

from digitapp.app.architectures import mlp_config

if __name__ == "__main__":
    run(mlp_config([512], dropout=0.1), parse_args(__doc__.split("\n")[0], batches=469), workers=1)
