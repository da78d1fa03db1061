"""The not-a-digit check's low-res training digits (tools/not_a_digit_data.lowres_digits):
MNIST TRAIN digits made blocky or blurred are still the digit they were, as the app sees it."""

from __future__ import annotations

import numpy as np

from digitapp.app.models import as_model_inputs, open_model, predict_checked
from digitapp.data.mnist import load_mnist
from digitapp.paths import weights_path
from tools.not_a_digit_data import LOWRES_SIDES, lowres_digits


def test_lowres_digits_are_legible_28x28_digits_with_their_labels():
    train = load_mnist("train")
    mnist = train.images[:400].reshape(-1, 28, 28).astype(np.float32) / 255
    images, labels = lowres_digits(mnist, train.labels[:400], 60, seed=3)
    assert images.shape == (60, 28, 28) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1 and labels.shape == (60,)
    assert set(labels.tolist()) <= set(train.labels[:400].tolist())
    again, _ = lowres_digits(mnist, train.labels[:400], 60, seed=3)
    assert np.array_equal(images, again)
    assert not np.array_equal(images, lowres_digits(mnist, train.labels[:400], 60, seed=4)[0])
    # The shipped CNN still reads them: a label that no longer fits would teach the check
    # that a blocky 3 is a 3 when it is a smudge.
    cnn = open_model(weights_path() / "cnn")[0]
    read = predict_checked(cnn, as_model_inputs(cnn, images)).argmax(1)
    assert (read == labels).mean() >= 0.85, (read == labels).mean()
    assert LOWRES_SIDES[0] >= 7  # smaller scans are a guess even for a person
