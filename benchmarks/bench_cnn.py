"""Benchmark: the shipped CNN in our NumPy engine against PyTorch (CPU), interleaved A B A B.

The architecture of digitapp.app.architectures.cnn_config (conv5x5x32-BN-ReLU-pool,
conv3x3x64-BN-ReLU-pool, dense 256-BN-ReLU-dropout, dense 10), Adam lr 1e-3, batch 128,
float32, 2 threads for both. An "epoch" here is 100 batches (12,800 images) to keep a
round short; the ratio is what matters. Also single-image inference latency.

    .venv/bin/pip install torch==2.13.0     # a local CPU build on these machines
    .venv/bin/python benchmarks/bench_cnn.py [--rounds 5] [--batches 100] [--threads 2]
"""

from compare import parse_args, run

from digitapp.app.architectures import cnn_config

if __name__ == "__main__":
    run(cnn_config(third_block=True), parse_args(__doc__.split("\n")[0], batches=100), workers=2)
