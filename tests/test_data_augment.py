"""Augmentation: determinism, contracts (shape, dtype, range), and the geometry itself."""

from __future__ import annotations

import time

import numpy as np
import pytest

from digitapp.data.augment import (
    SIDE,
    AugmentConfig,
    Augmenter,
    affine_matrices,
    affine_warp,
    grey_dilate3,
    grey_erode3,
    with_slant,
)
from digitapp.data.mnist import load_mnist

IDENTITY = AugmentConfig(max_shift=0.0, max_rotation=0.0, scale_range=(1.0, 1.0), thickness_prob=0)


@pytest.fixture(scope="module")
def batch() -> np.ndarray:
    """The first 128 MNIST test digits as inputs: float32 (128, 784) in [0, 1]."""
    return load_mnist("test").inputs()[:128]


def centre_of_mass(x: np.ndarray) -> np.ndarray:
    """Return (B, 2) float64: the (row, col) intensity centre of each image in x (B, 784)."""
    images = x.reshape(len(x), 28, 28).astype(np.float64)
    idx = np.arange(28)
    mass = images.sum(axis=(1, 2))
    rows = (images.sum(axis=2) @ idx) / mass
    cols = (images.sum(axis=1) @ idx) / mass
    return np.stack([rows, cols], axis=1)


def _warp(x, angle=0.0, scale=1.0, dx=0.0, dy=0.0):
    n = len(x)
    full = [np.full(n, v, dtype=np.float64) for v in (angle, scale, dx, dy)]
    return affine_warp(x, affine_matrices(*full))


def test_shape_dtype_range_and_new_array(batch):
    before = batch.copy()
    out = Augmenter(AugmentConfig(), seed=0)(batch)
    assert out.shape == (128, 784)
    assert out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert out is not batch and not np.shares_memory(out, batch)
    np.testing.assert_array_equal(batch, before)  # the input is left alone
    assert not np.allclose(out, batch)  # and the output really is distorted


def test_deterministic_for_a_seed(batch):
    a, b = Augmenter(AugmentConfig(), seed=42), Augmenter(AugmentConfig(), seed=42)
    for _ in range(3):  # also the later batches of a run
        np.testing.assert_array_equal(a(batch), b(batch))


def test_different_seeds_differ(batch):
    a = Augmenter(AugmentConfig(), seed=1)(batch)
    b = Augmenter(AugmentConfig(), seed=2)(batch)
    assert np.abs(a - b).mean() > 0.01


def test_successive_calls_differ(batch):
    aug = Augmenter(AugmentConfig(), seed=3)
    assert not np.array_equal(aug(batch), aug(batch))


def test_zero_config_is_identity(batch):
    out = Augmenter(IDENTITY, seed=0)(batch)
    np.testing.assert_allclose(out, batch, atol=1e-6, rtol=0)


def test_shift_of_two_pixels_moves_the_centre_of_mass_by_two(batch):
    # Keep digits whose ink stays inside the field after the shift.
    images = batch.reshape(-1, 28, 28)
    fits = (images[:, :, -2:].max(axis=(1, 2)) == 0) & (images[:, -2:, :].max(axis=(1, 2)) == 0)
    x = batch[fits]
    assert len(x) > 100
    moved = centre_of_mass(_warp(x, dx=2.0, dy=2.0)) - centre_of_mass(x)
    np.testing.assert_allclose(moved, 2.0, atol=1e-4)
    left = centre_of_mass(_warp(x, dx=-2.0)) - centre_of_mass(x)
    np.testing.assert_allclose(left[:, 1], -2.0, atol=0.05)  # a few touch the left edge
    np.testing.assert_allclose(left[:, 0], 0.0, atol=0.05)


def test_random_shifts_stay_within_max_shift(batch):
    cfg = AugmentConfig(max_shift=2.0, max_rotation=0.0, scale_range=(1, 1), thickness_prob=0)
    out = Augmenter(cfg, seed=5)(batch)
    moved = centre_of_mass(out) - centre_of_mass(batch)
    assert np.abs(moved).max() <= 2.0 + 0.05
    assert np.abs(moved).max() > 1.5  # the full range is used
    # Sub-pixel shifts interpolate, so the total ink is nearly unchanged.
    np.testing.assert_allclose(out.sum(1), batch.sum(1), rtol=0.05)


def test_rotation_turns_counter_clockwise_about_the_centre():
    x = np.zeros((1, 784), dtype=np.float32)
    x[0, 7 * 28 + 14] = 1.0  # one pixel above the centre (row 7, col 14)
    turned = _warp(x, angle=90.0).reshape(28, 28)
    # Counter-clockwise on screen: top goes to the left, to (row 13, col 7).
    np.testing.assert_allclose(centre_of_mass(turned.reshape(1, -1))[0], (13, 7), atol=1e-4)
    assert turned.max() == pytest.approx(1.0, abs=1e-4)


def test_scale_zooms_about_the_centre():
    x = np.zeros((1, 28, 28), dtype=np.float32)
    x[0, 12:16, 12:16] = 1.0  # a 4x4 square around the centre (13.5, 13.5)
    big = _warp(x.reshape(1, -1), scale=2.0).reshape(28, 28)
    rows = np.flatnonzero(big.max(axis=1) > 0.5)
    assert (rows.min(), rows.max()) == (10, 17)  # now 8 pixels wide, same centre
    np.testing.assert_allclose(centre_of_mass(big.reshape(1, -1))[0], (13.5, 13.5), atol=1e-5)


def test_outside_the_image_reads_zero():
    x = np.ones((1, 784), dtype=np.float32)
    out = _warp(x, dx=5.0).reshape(28, 28)
    assert out[:, :5].max() == 0.0
    assert out[:, 5:].min() == 1.0


def test_dilation_and_erosion():
    x = np.zeros((1, 28, 28), dtype=np.float32)
    x[0, 10, 10] = 0.8
    grown = grey_dilate3(x)
    assert grown.sum() == pytest.approx(9 * 0.8)
    assert grown[0, 9:12, 9:12].min() == pytest.approx(0.8)
    np.testing.assert_array_equal(grey_erode3(grown), x)


def test_erosion_thins_digits_without_erasing_them(batch):
    images = batch.reshape(-1, 28, 28)
    thin = grey_erode3(images)
    kept = thin.sum(axis=(1, 2)) / images.sum(axis=(1, 2))
    assert kept.max() < 0.7  # visibly thinner ...
    assert kept.mean() > 0.2  # ... but still there (a 3x3 square keeps only 14%)
    assert np.mean(thin.max(axis=(1, 2)) > 0.5) > 0.9


def test_thickness_change_thickens_or_thins(batch):
    cfg = AugmentConfig(0.0, 0.0, (1.0, 1.0), thickness_prob=1.0)
    out = Augmenter(cfg, seed=0)(batch).reshape(-1, 28, 28)
    images = batch.reshape(-1, 28, 28)
    thick = np.all(out == grey_dilate3(images), axis=(1, 2))
    thin = np.all(out == grey_erode3(images), axis=(1, 2))
    assert np.all(thick | thin)
    assert 40 < thick.sum() < 88  # about half each


def test_bad_inputs_and_configs():
    with pytest.raises(ValueError, match=r"\(B, 784\)"):
        Augmenter(AugmentConfig(), 0)(np.zeros((2, 28, 28), np.float32))
    with pytest.raises(ValueError, match="scale_range"):
        AugmentConfig(scale_range=(1.1, 0.9))
    with pytest.raises(ValueError, match="thickness_prob"):
        AugmentConfig(thickness_prob=1.5)
    with pytest.raises(ValueError, match=">= 0"):
        AugmentConfig(max_shift=-1)


def test_fast_enough_for_every_batch(batch):
    # The target is well under 2 ms; the bound here is loose so a busy CI machine passes.
    aug = Augmenter(AugmentConfig(), seed=0)
    aug(batch)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        aug(batch)
        times.append(time.perf_counter() - start)
    assert np.median(times) < 0.010


def test_slant_moves_the_bottom_of_a_vertical_bar_right_and_the_top_left():
    bar = np.zeros((1, SIDE, SIDE), np.float32)
    bar[0, 4:24, 13:15] = 1.0
    plain = affine_matrices(np.zeros(1), np.ones(1), np.zeros(1), np.zeros(1))
    np.testing.assert_array_equal(with_slant(plain, np.zeros(1), np.ones(1)), plain)
    out = affine_warp(bar.reshape(1, -1), with_slant(plain, np.array([0.3]), np.ones(1)))
    out = out.reshape(SIDE, SIDE)
    centre_of = [np.average(np.arange(SIDE), weights=out[row]) for row in (5, 13, 22)]
    # x moves by 0.3 * (row - 13.5): -2.55 at row 5, +2.55 at row 22 (the bar is at 13.5).
    np.testing.assert_allclose(centre_of, [13.5 - 2.55, 13.5 - 0.15, 13.5 + 2.55], atol=0.05)
    wide = affine_warp(bar.reshape(1, -1), with_slant(plain, np.zeros(1), np.array([1.5])))
    assert wide.sum() == pytest.approx(bar.sum() * 1.5, rel=0.02)  # 1.5x as wide


def test_slant_and_width_are_drawn_only_when_asked_for(batch):
    plain = Augmenter(AugmentConfig(), seed=5)
    slanted = Augmenter(AugmentConfig(max_shear=0.3, max_aspect=0.15), seed=5)
    first_plain, first_slanted = plain(batch), slanted(batch)
    assert not np.allclose(first_plain, first_slanted)
    # Zero strengths are the default: the very same images.
    again = Augmenter(AugmentConfig(max_shear=0.0, max_aspect=0.0), seed=5)
    np.testing.assert_array_equal(again(batch), first_plain)
    with pytest.raises(ValueError):
        AugmentConfig(max_shear=-0.1)
    with pytest.raises(ValueError):
        AugmentConfig(max_aspect=1.0)
