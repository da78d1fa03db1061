"""Named architectures (presets) as JSON-able model configs, shared by the CLI and the GUI."""

from __future__ import annotations

from ..engine import Sequential

MNIST_IMAGE = [28, 28, 1]  # NHWC input of the convolutional models (one grey channel)


def mlp_config(hidden: list[int], dropout: float = 0.0, inputs: int = 784,
               classes: int = 10) -> dict:
    """Return the config of an inputs-hidden...-classes MLP with ReLU and dropout after each
    hidden layer (784-hidden...-10 for MNIST): the one MLP builder, for the app and tests."""
    layers: list[dict] = []
    for units in hidden:
        layers += [{"type": "dense", "units": units}, {"type": "relu"}]
        if dropout > 0:
            layers.append({"type": "dropout", "rate": dropout})
    layers.append({"type": "dense", "units": classes})
    return {"input_shape": [inputs], "layers": layers}


def cnn_config(dropout: float = 0.3, third_block: bool = False,
               widths: tuple[int, int] = (32, 64), dense: int = 256) -> dict:
    """Return a CNN: conv blocks with BatchNorm, a dense layer, 10 outputs.

    28x28x1 -> conv5x5x32 -> pool -> 14x14x32 -> conv3x3x64 -> pool -> 7x7x64
    [-> conv3x3x128 -> pool -> 3x3x128] -> flatten -> dense 256 -> 10.
    About 5 M multiply-adds per image (8 M with the third block): a third of the usual
    four-conv MNIST net, so that a CPU epoch is a short wait. `widths` and `dense` make
    the small one ("cnn-small": 16 and 32 filters, dense 128; 1.4 M multiply-adds), the
    fastest to 99% (benchmarks/bench_time_to_99.py).
    """
    def block(filters: int, kernel: int) -> list[dict]:
        return [
            {"type": "conv2d", "filters": filters, "kernel": kernel, "padding": "same"},
            {"type": "batchnorm", "momentum": 0.9, "eps": 1e-5},
            {"type": "relu"},
            {"type": "maxpool2d", "size": 2},
        ]

    first, second = widths
    layers = block(first, 5) + block(second, 3) + (block(128, 3) if third_block else []) + [
        {"type": "flatten"},
        {"type": "dense", "units": dense},
        {"type": "batchnorm", "momentum": 0.9, "eps": 1e-5},
        {"type": "relu"},
    ]
    if dropout > 0:
        layers.append({"type": "dropout", "rate": dropout})
    layers.append({"type": "dense", "units": 10})
    return {"input_shape": MNIST_IMAGE, "layers": layers}


ARCHITECTURES = ("mlp", "cnn", "cnn3", "cnn-small")
# The architectures with fixed layers (no hidden sizes).
CONVOLUTIONAL = ("cnn", "cnn3", "cnn-small")


def default_workers(arch: str) -> int:
    """Return how many data-parallel threads to train `arch` with (TrainConfig.workers).

    Two for the CNNs: half a batch per thread, each with one BLAS thread, keeps both cores
    busy through im2col, BatchNorm and pooling too (1.5x faster than two BLAS threads on 2
    cores; README). One for the MLP, whose time is matrix products that BLAS already
    spreads over the cores.
    """
    return 2 if arch in CONVOLUTIONAL else 1


def architecture_config(arch: str, hidden: list[int], dropout: float) -> dict:
    """Return the config of architecture `arch` (one of ARCHITECTURES); `hidden` is the MLP's
    hidden layer sizes (the CNNs' layers are fixed)."""
    if arch == "mlp":
        return mlp_config(hidden, dropout)
    if arch == "cnn-small":
        return cnn_config(dropout, widths=(16, 32), dense=128)
    if arch in CONVOLUTIONAL:
        return cnn_config(dropout, third_block=arch == "cnn3")
    raise ValueError(f"unknown architecture {arch!r} (known: {', '.join(ARCHITECTURES)})")


def build(arch: str, hidden: list[int], dropout: float, seed: int) -> Sequential:
    """Return a freshly initialised model of architecture `arch` (one of ARCHITECTURES)."""
    return Sequential.from_config(architecture_config(arch, hidden, dropout), seed=seed)


def hidden_layer_index(model: Sequential) -> int:
    """Return the index of the layer whose output is the "hidden layer" for maps.

    That is the activation (ReLU) after the last hidden dense layer: the 512 units of the
    MLP, the 256 of the CNN's penultimate dense layer.
    """
    dense = [i for i, layer in enumerate(model.layers) if layer.kind == "dense"]
    if len(dense) < 2:
        return len(model.layers) - 1
    after = [i for i, layer in enumerate(model.layers) if layer.kind == "relu" and i > dense[-2]]
    return after[0] if after else dense[-2]
