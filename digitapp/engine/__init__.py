"""Pure NumPy neural-network engine: layers, losses, optimizers, schedules, model, trainer.

Knows nothing of Qt, files' origin or MNIST: arrays in, arrays out.
"""

from .layers import Dense, Dropout, Flatten, Layer, ReLU, layer_from_config
from .losses import SoftmaxCrossEntropy, l2_penalty, log_softmax, softmax
from .metrics import accuracy, confusion_matrix, evaluate, per_class_scores
from .model import Sequential, mlp
from .optimizers import SGD, Adam
from .schedules import Constant, Cosine, StepDecay, make_schedule
from .serialize import ModelError, load_model, read_manifest, save_model
from .trainer import BatchDone, Control, EpochDone, Failed, Finished, TrainConfig, train

__all__ = [
    "SGD", "Adam", "BatchDone", "Constant", "Control", "Cosine", "Dense", "Dropout",
    "EpochDone", "Failed", "Finished", "Flatten", "Layer", "ModelError", "ReLU", "Sequential",
    "SoftmaxCrossEntropy", "StepDecay", "TrainConfig", "accuracy", "confusion_matrix",
    "evaluate", "l2_penalty", "layer_from_config", "load_model", "log_softmax", "make_schedule",
    "mlp", "per_class_scores", "read_manifest", "save_model", "softmax", "train",
]
