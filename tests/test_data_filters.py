"""The preprocessing filters against direct definitions."""

import numpy as np
import pytest

from digitapp.data.filters import reduce_mean


def block_means(image: np.ndarray, factor: int) -> np.ndarray:
    """The definition: edge-padded to whole blocks, the mean of each block (in float64)."""
    h, w = image.shape
    hh, ww = -(-h // factor), -(-w // factor)
    padded = np.pad(image.astype(np.float64), ((0, hh * factor - h), (0, ww * factor - w)),
                    mode="edge")
    return np.array([[padded[i * factor:(i + 1) * factor, j * factor:(j + 1) * factor].mean()
                      for j in range(ww)] for i in range(hh)])


@pytest.mark.parametrize("shape,factor", [((40, 30), 8), ((37, 50), 3), ((10, 10), 2),
                                          ((19, 21), 7), ((5, 9), 1)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_reduce_mean_is_the_mean_of_each_block(shape, factor, dtype):
    image = (np.random.default_rng(factor).random(shape) * 255).astype(dtype)
    out = reduce_mean(image, factor)
    assert out.shape == (-(-shape[0] // factor), -(-shape[1] // factor))
    np.testing.assert_allclose(out, block_means(image, factor), rtol=1e-5, atol=1e-3)
