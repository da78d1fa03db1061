"""What the Train form asks: each field's label, parser and help, the menus, and the groups.

Labels and menu entries are kept short (the form is a narrow column beside the plots);
the details live in the tooltips (HELP), one or two plain sentences: what the value does,
its range, its effect.
"""

from __future__ import annotations

from digitapp.gui.train.fields import layer_sizes, real, whole

MNIST_TRAIN = 60_000

# Menu label -> internal value. Details of each entry are in MENU_HELP.
NETWORKS = {"MLP": "mlp", "CNN, small": "cnn-small", "CNN, 2 blocks": "cnn",
            "CNN, 3 blocks": "cnn3"}
OPTIMIZERS = {"Adam": "adam", "SGD + momentum": "sgd"}
SCHEDULES = {"Constant": "constant", "Step decay": "step", "Cosine": "cosine"}

MENU_HELP = {
    "MLP": "784-hidden-10: fully connected layers; the sizes are set below. Fast.",
    "CNN, small": "Convolutions of 16 and 32 filters, then a dense layer of 128: the "
    "fastest CNN, past 99% in 2 epochs (the \"99% fast\" preset).",
    "CNN, 2 blocks": "Convolutions of 32 and 64 filters, then a dense layer of 256: "
    "more accurate than an MLP, slower.",
    "CNN, 3 blocks": "Convolutions of 32, 64 and 128 filters, then a dense layer of 256: "
    "the shipped model's network, the slowest.",
    "Adam": "Adapts the step of each weight by itself; works well with a rate near 0.001.",
    "SGD + momentum": "Plain gradient steps with momentum; wants a larger, tuned rate "
    "(about 0.05).",
    "Constant": "The learning rate never changes.",
    "Step decay": "The learning rate is multiplied by a factor (below 1) every N epochs.",
    "Cosine": "The learning rate eases down along a cosine curve to 0 at the last epoch.",
}

# key -> (label, parser, placeholder). Labels starting with spaces are sub-rows of the
# row above them (the step schedule's period and factor).
FIELDS = {
    "hidden": ("Hidden layers", layer_sizes(), "e.g. 512 or 256, 128"),
    "dropout": ("Dropout", real(0.0, 0.9, example="0.1"), "0 to 0.9"),
    "epochs": ("Epochs", whole(1, 1000), ""),
    "batch_size": ("Batch size", whole(1, 8192), ""),
    "lr": ("Learning rate", real(0.0, float("inf"), low_open=True, example="0.001"), ""),
    "momentum": ("Momentum", real(0.0, 1.0, high_open=True, example="0.9"), "SGD only"),
    "l2": ("L2 penalty λ", real(0.0, float("inf"), example="0.01"), ""),
    "weight_decay": ("Weight decay", real(0.0, 1.0, high_open=True, example="0.0005"), ""),
    "seed": ("Seed", whole(0, 2**32 - 1), ""),
    "step_every": ("  every N epochs", whole(1, 1000), "step decay"),
    "step_factor": ("  times factor", real(0.0, 1.0, low_open=True, high_open=True,
                                           example="0.8"), "step decay"),
    "aug_shift": ("Max shift (px)", real(0.0, 8.0, example="2"), ""),
    "aug_rotation": ("Max turn (°)", real(0.0, 90.0, example="12"), ""),
    "aug_scale": ("Max zoom change", real(0.0, 0.5, example="0.1"), "0.1 = 0.9x to 1.1x"),
    "aug_thickness": ("Stroke change", real(0.0, 1.0, example="0.3"), "chance, 0 to 1"),
    "train_size": ("Training images", whole(10, MNIST_TRAIN - 10, blank=None), "all"),
    "val_size": ("Validation images", whole(0, 30_000), ""),
}

# The controls that are not text fields, by key: their row labels.
CONTROLS = {"preset": "Preset", "network": "Network", "optimizer": "Optimizer",
            "schedule": "Schedule", "augment": "Augment"}

# Tooltip of every field and control (and of its label).
HELP = {
    "preset": "A ready-made recipe that fills every field. Quick look trains in seconds; "
    "changing any value makes it Custom.",
    "network": "The kind of network: an MLP (fully connected layers, fast) or a CNN "
    "(convolutions that see shapes: more accurate, slower).",
    "hidden": "Sizes of the MLP's hidden layers, e.g. 512 or 256, 128 (1 to 6 layers of 1 "
    "to 8192 units). Bigger layers learn more but train slower; the CNNs ignore this.",
    "dropout": "Share of hidden units switched off at random while training, 0 to 0.9. "
    "A little (0.1) curbs overfitting; much more slows learning down.",
    "epochs": "Passes over the training images, 1 to 1000. More epochs learn more but take "
    "longer; the epoch with the best validation accuracy is the one kept.",
    "batch_size": "Images per weight update, 1 to 8192. Small batches update often but "
    "noisily; large ones go through the images faster but learn less per image.",
    "optimizer": "How the weights are updated. Adam works well as it is; SGD with momentum "
    "needs a larger, tuned learning rate.",
    "lr": "Size of each update step, above 0 (Adam: about 0.001, SGD: about 0.05). Too "
    "large and training diverges; too small and it crawls.",
    "momentum": "SGD only: the share of the previous step carried into the next, 0 to just "
    "under 1 (usually 0.9). It smooths and speeds up SGD.",
    "schedule": "How the learning rate changes over the epochs: constant, step decay (times "
    "a factor every N epochs) or cosine (down to 0 by the last epoch).",
    "step_every": "Step decay: the learning rate is multiplied by the factor every this many "
    "epochs, 1 to 1000.",
    "step_factor": "Step decay: the multiplier, above 0 and below 1; 0.8 keeps 80% of the "
    "rate at each step.",
    "l2": "L2 penalty: adds λ/(2m)·ΣW² to the loss to keep the weights small, 0 or more "
    "(0.01 is mild). More fights overfitting but can underfit.",
    "weight_decay": "Shrinks every weight by this share at each step, apart from the loss "
    "(AdamW style), 0 to below 1 (e.g. 0.0005). Another way to keep weights small.",
    "augment": "Train on randomly shifted, turned, zoomed and thickened or thinned copies of "
    "the images: slower to learn, more robust to real handwriting.",
    "aug_shift": "Largest random shift of a training image, in pixels, 0 to 8.",
    "aug_rotation": "Largest random turn of a training image, in degrees either way, 0 to 90.",
    "aug_scale": "Largest random change of size, 0 to 0.5: 0.1 zooms by 0.9x to 1.1x.",
    "aug_thickness": "Chance, 0 to 1, that a training image's strokes are made thicker or "
    "thinner (as pens on the canvas are).",
    "train_size": "How many of MNIST's 60,000 training images to train on (10 or more); "
    "empty for all that the validation images leave. Fewer train faster, learn less.",
    "val_size": "Training images held out to measure each epoch and pick the best one, "
    "0 to 30,000. They are never trained on.",
    "seed": "Starting point of the random numbers (weights, shuffling, augmentation), 0 to "
    "4,294,967,295. The same seed and values give the same run.",
}

# Group title -> (rows, open by default, tooltip). A row is a FIELDS or CONTROLS key.
# The groups that a first run needs are open; the advanced ones start folded.
GROUPS = {
    "Network": (["network", "hidden"], True,
                "What is trained: the kind of network and its layers."),
    "Optimisation": (["epochs", "batch_size", "optimizer", "lr", "momentum", "schedule",
                      "step_every", "step_factor"], True,
                     "How long and how fast the weights learn."),
    "Regularisation": (["dropout", "l2", "weight_decay"], False,
                       "Ways to keep the network from memorising the training images."),
    "Augmentation": (["augment", "aug_shift", "aug_rotation", "aug_scale", "aug_thickness"],
                     False, "Random distortions of the training images."),
    "Data": (["train_size", "val_size", "seed"], False,
             "Which images are trained on and held out, and the random seed."),
}
