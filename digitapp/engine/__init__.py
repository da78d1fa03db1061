"""Pure NumPy neural-network engine: layers, losses, optimizers, schedules, model, trainer.

Knows nothing of Qt, MNIST or where data comes from: arrays in, arrays out. The files it
knows are model folders on disk: saving, loading and replacing them safely (model_format,
model_save, model_write, save_leftovers for leftovers of interrupted saves, model_load,
model_manifest, model_folder, npy_file, model_target, folder_rename).
"""

# Importing every layer module here (conv, layers, norm, pooling) registers each layer
# type's kind (layers.LAYER_TYPES) before any model is read: a new layer file adds a line.
from .conv import Conv2D
from .layers import Dense, Dropout, Flatten, Layer, ReLU, layer_from_config
from .losses import SoftmaxCrossEntropy, l2_penalty, log_softmax, softmax
from .metrics import accuracy, confusion_matrix, evaluate, per_class_scores
from .model import Sequential, describe_architecture
from .norm import BatchNorm
from .optimizers import SGD, Adam
from .pooling import GlobalAvgPool2D, MaxPool2D
from .schedules import Constant, Cosine, StepDecay, make_schedule
from .serialize import ModelError, load_model, read_manifest, save_model
from .trainer import BatchDone, Control, EpochDone, Failed, Finished, TrainConfig, train

__all__ = [
    "SGD", "Adam", "BatchDone", "BatchNorm", "Constant", "Control", "Conv2D", "Cosine", "Dense",
    "Dropout", "EpochDone", "Failed", "Finished", "Flatten", "GlobalAvgPool2D", "Layer",
    "MaxPool2D", "ModelError", "ReLU", "Sequential", "SoftmaxCrossEntropy", "StepDecay",
    "TrainConfig", "accuracy", "confusion_matrix", "describe_architecture", "evaluate",
    "l2_penalty", "layer_from_config", "load_model", "log_softmax", "make_schedule",
    "per_class_scores", "read_manifest", "save_model", "softmax", "train",
]
