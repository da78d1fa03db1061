"""Turn any picture of one digit into the 28x28 input the network saw in training.

Canvas buffers, dropped files, photos of ink on paper and `digitapp predict` all go through
`to_mnist28`, which redoes what the makers of MNIST did to their scans: white ink on black,
the digit scaled to fit a 20x20 box (aspect ratio kept, anti-aliased) and placed in a 28x28
field with its centre of mass at the centre, pixel (14, 14). Measured on MNIST itself:
99.98% of digits have a longer side of exactly 20 pixels, the mean centre of mass is
(13.99, 14.01) with a spread of 0.29 px (whole-pixel rounding), and 90% reach 255.

`load_grayscale` reads a file into the float image `to_mnist28` expects.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from digitapp.data.filters import box_any, box_mean3, reduce_mean
from digitapp.data.regular_file import NotRegularFile, open_regular_file

FIELD = 28  # side of the output, MNIST's field
BOX = 20  # the digit's longer side after scaling
CENTRE = 14  # where MNIST puts the centre of mass (row and column index)
# The formats a person is told about when a file cannot be read (the Draw tab's Open dialog
# offers the same; the decoder reads a few rarer ones too).
READABLE_FORMATS = "PNG, JPEG, BMP, GIF, TIFF or WebP"
MAX_PIXELS = 40_000_000  # refuse bigger files: decompression bombs, or absurd scans
WORK_SIDE = 256  # bigger images are averaged down to fit this first: speed, less noise
LOAD_SIDE = 2048  # files bigger than this are averaged down as they are read: memory
MIN_CONTRAST = 0.1  # weaker ink (on a 0..1 scale) is not a digit: blank paper, shadows
REL_STRONG = 0.25  # "surely ink": smoothed ink above this share of the strongest ink
NOISE_SIGMAS = 4.0  # ... and above this many noise standard deviations
MIN_EXTENT = 0.08  # a digit spans at least this share of the image's longer side ...
MIN_EXTENT_PX = 4  # ... and at least this many pixels; anything smaller is a speck


class NoDigit(ValueError):
    """The image holds no digit: blank, too faint, or only a speck.

    Its message starts with "no digit found", followed by the reason.
    """


class ImageError(ValueError):
    """An image file is missing, not an image, unreadable or absurdly large."""


def preprocess_file(path: str | os.PathLike[str]) -> np.ndarray:
    """Return the network's view, float32 (28, 28) in [0, 1], of the digit in an image file."""
    return to_mnist28(load_grayscale(path))


def load_grayscale(path: str | os.PathLike[str]) -> np.ndarray:
    """Return float32 (H, W) in [0, 1] (0 black, 1 white): the luminance of an image file.
    (See load_grayscale_scaled.)"""
    return load_grayscale_scaled(path)[0]


def load_grayscale_scaled(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Return (float32 (H, W) in [0, 1], 0 black, 1 white: the luminance of an image file;
    the whole factor its sides were divided by while reading: 1 unless it is longer than
    LOAD_SIDE, so a position in the array times the factor is one in the file).

    Transparency is resolved so that ink stays visible: when most of the image is
    transparent, the transparent part is the background and becomes the opposite tone of
    the visible (ink) pixels, so black ink and white ink on a transparent canvas both
    work; when only some margins are transparent, they take the tone of the paper.
    Raises ImageError, naming the file, for a missing, non-image, corrupt or huge file,
    for anything but a regular file (a FIFO would block, a device never end), and for a
    float image holding NaN or infinite pixels (no tone can be read from them).
    """
    name = str(path)
    try:
        with open_regular_file(path) as file, Image.open(file) as im:
            width, height = im.size
            if width * height > MAX_PIXELS:
                raise ImageError(
                    f"{name}: image too large ({width}x{height} pixels; limit {MAX_PIXELS:,})"
                )
            im.load()
            factor = max(1, -(-max(im.size) // LOAD_SIDE))  # as _shrunk
            # Phone photos are often stored sideways with an EXIF note saying how to turn them.
            return _luminance(ImageOps.exif_transpose(_shrunk(im)), name), factor
    except ImageError:
        raise  # already one line naming the file; not to be taken for a decoder's ValueError
    except FileNotFoundError:
        raise ImageError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise ImageError(f"{name}: is a directory, not an image") from None
    except NotRegularFile:
        raise ImageError(f"{name}: not a regular file") from None
    except PermissionError:
        raise ImageError(f"{name}: permission denied") from None
    except UnidentifiedImageError:
        raise ImageError(f"{name}: not an image digitapp can read "
                         f"({READABLE_FORMATS})") from None
    except MemoryError:  # a last resort: the size checks above keep files well below this
        raise ImageError(f"{name}: image too large to read (out of memory)") from None
    except Image.DecompressionBombError:
        raise ImageError(f"{name}: image too large (limit {MAX_PIXELS:,} pixels)") from None
    # Pillow's decoders report damaged files with many types; all mean "unreadable".
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError) as exc:
        raise ImageError(f"{name}: unreadable image ({_one_line(exc)})") from None


def to_mnist28(gray: np.ndarray) -> np.ndarray:
    """Return float32 (28, 28) in [0, 1], white ink on black, from a digit image (H, W).

    gray: float in [0, 1] or uint8 in 0..255, either polarity, any size. Raises NoDigit
    when there is no ink, too little contrast, or only a speck.

    Steps: 1 detect polarity and the paper's level, 2 keep what is clearly ink,
    3 reject empty input (`find_ink`), 4 crop to the ink, 5 scale the longer side to 20
    pixels, 6 centre the mass at (14, 14), 7 stretch so that the brightest pixel is 1
    (`fit_field`). Reading a number (digitapp/data/segment.py) takes the same steps, with
    step 4 cropping to one digit's ink at a time.
    """
    found = find_ink(gray)
    return fit_field(found, found.mask)


@dataclass(frozen=True)
class Ink:
    """What step 1-3 of to_mnist28 found in an image, on its working grid.

    ink:   float32 (h, w) >= 0, ink strength above the paper, whatever the polarity
    mask:  bool (h, w), the pixels that are surely ink (and their faint edges)
    scale: input pixels per working pixel (images longer than WORK_SIDE are averaged
           down by this whole factor first)
    """

    ink: np.ndarray
    mask: np.ndarray
    scale: int


def find_ink(gray: np.ndarray, long_side: int = WORK_SIDE) -> Ink:
    """Steps 1-3 of to_mnist28: the ink of an image (H, W); NoDigit if there is none.

    Images longer than `long_side` are averaged down by a whole factor first (a number
    passes a larger long side, so that a wide line of digits keeps its detail).
    """
    g = _as_float_image(gray)
    factor = int(np.ceil(max(g.shape) / long_side))
    g = reduce_mean(g, factor)

    # 1. The border is mostly paper: it gives the paper's level (a plane, to follow an even
    # change of lighting across a photo) and, from its spread, the noise level.
    paper, sigma = _paper(g)
    ink = g - paper
    # Ink is whichever side (darker or lighter than paper) carries more strong deviation.
    floor = max(NOISE_SIGMAS * sigma, 0.02)
    darker = np.maximum(-ink - floor, 0.0).sum()
    lighter = np.maximum(ink - floor, 0.0).sum()
    if darker > lighter:
        np.negative(ink, out=ink)
    np.maximum(ink, 0.0, out=ink)

    # 2. Smoothing by 3x3 divides pixel noise by 3, so single noisy pixels never count as
    # ink. Strong ink seeds the digit; weaker pixels (faint anti-aliased edges and tails)
    # count only near strong ink, and only above the noise.
    smooth = box_mean3(ink)
    peak = float(smooth.max())
    # 3. Nothing clearly above the paper: blank, or too faint to be a digit.
    if peak < MIN_CONTRAST or peak < 2 * NOISE_SIGMAS * sigma / 3:
        raise NoDigit("no digit found: the image is blank or too faint")
    strong = smooth > max(REL_STRONG * peak, NOISE_SIGMAS * sigma / 3)
    reach = max(2, int(np.ceil(0.04 * max(g.shape))))
    mask = box_any(strong, reach) & (ink > max(NOISE_SIGMAS * sigma, 0.01 * peak))
    return Ink(ink, mask, max(factor, 1))


def fit_field(found: Ink, mask: np.ndarray, min_extent: float | None = None) -> np.ndarray:
    """Steps 4-7 of to_mnist28: the 28x28 field of the ink under `mask` (bool (h, w)).

    Raises NoDigit if the masked ink is smaller than `min_extent` working pixels (default:
    MIN_EXTENT of the image's longer side, and at least MIN_EXTENT_PX): a speck.
    """
    ink = found.ink
    # 4. Crop to the ink's bounding box.
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if min_extent is None:
        min_extent = max(MIN_EXTENT_PX, MIN_EXTENT * max(ink.shape))
    if not len(rows):
        raise NoDigit("no digit found: only a speck of ink")
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    extent = max(bottom - top, right - left)
    if extent < min_extent:
        raise NoDigit("no digit found: only a speck of ink")
    digit = np.where(mask[top:bottom, left:right], ink[top:bottom, left:right], 0.0)

    # 5. Longer side to 20 pixels, aspect kept. Shrinking averages areas (BOX), like the
    # anti-aliasing of MNIST; enlarging a tiny digit interpolates instead of making blocks.
    h, w = digit.shape
    size = (max(1, round(w * BOX / extent)), max(1, round(h * BOX / extent)))  # (w, h)
    resample = Image.Resampling.BOX if extent >= BOX else Image.Resampling.BILINEAR
    digit = np.asarray(Image.fromarray(digit.astype(np.float32)).resize(size, resample))
    digit = np.maximum(digit, 0.0)

    # 6. Whole-pixel offsets put the centre of mass on (14, 14), as MNIST did; a digit whose
    # mass sits far off its middle is kept whole rather than clipped.
    h, w = digit.shape
    mass = digit.sum()
    com_row = digit.sum(axis=1) @ np.arange(h) / mass
    com_col = digit.sum(axis=0) @ np.arange(w) / mass
    y = min(max(int(np.floor(CENTRE - com_row + 0.5)), 0), FIELD - h)
    x = min(max(int(np.floor(CENTRE - com_col + 0.5)), 0), FIELD - w)
    out = np.zeros((FIELD, FIELD), dtype=np.float32)
    out[y : y + h, x : x + w] = digit

    # 7. MNIST strokes saturate: the brightest pixel becomes 1.
    out /= out.max()
    return out


def _as_float_image(gray: np.ndarray) -> np.ndarray:
    g = np.asarray(gray)
    if g.ndim != 2:
        raise ValueError(f"to_mnist28 expects a grayscale image (H, W), got shape {g.shape}")
    if g.dtype == np.uint8:
        return g.astype(np.float32) / np.float32(255.0)
    g = g.astype(np.float32)  # a copy: the caller's buffer is never changed
    if not np.isfinite(g).all():
        raise ValueError("to_mnist28: the image contains NaN or infinite values")
    return np.clip(g, 0.0, 1.0, out=g)


def _paper(g: np.ndarray) -> tuple[np.ndarray, float]:
    """Return the paper's level, float32 (H, W) or (1, 1), and the noise std, from the border.

    The paper is modelled as a plane: the medians of the four edge strips (each about 2%
    of the image wide) give its level and its slope along x and y. Medians ignore ink that
    touches an edge, as long as it covers less than half of that edge.
    """
    h, w = g.shape
    k = max(1, round(0.02 * min(h, w)))
    if 4 * k >= min(h, w):  # too small to have a border apart from the digit
        level = float(np.median(g))
        return np.full((1, 1), level, np.float32), 1.4826 * float(np.median(np.abs(g - level)))
    middle = float(np.median(_ring(g, k)))
    top, bottom = _edge_pair(np.median(g[:k]), np.median(g[-k:]), middle)
    left, right = _edge_pair(np.median(g[:, :k]), np.median(g[:, -k:]), middle)
    slope_y = (bottom - top) / (h - k)
    slope_x = (right - left) / (w - k)
    level = (top + bottom + left + right) / 4
    ys = (np.arange(h, dtype=np.float32) - (h - 1) / 2) * np.float32(slope_y)
    xs = (np.arange(w, dtype=np.float32) - (w - 1) / 2) * np.float32(slope_x)
    if abs(slope_x) * w < 0.01 and abs(slope_y) * h < 0.01:
        plane = np.full((1, 1), level, np.float32)  # flat: skip building a full plane
    else:
        plane = (ys[:, None] + np.float32(level)) + xs[None, :]
    ring = _ring(g, k) - _ring(np.broadcast_to(plane, g.shape), k)
    sigma = 1.4826 * float(np.median(np.abs(ring - np.median(ring))))  # robust std (MAD)
    return plane, sigma


def _edge_pair(a: float, b: float, middle: float) -> tuple[float, float]:
    """Return the paper levels of two opposite edges, given their medians and the ring's.

    Even lighting makes opposite edges differ symmetrically about the middle (one lighter,
    one darker). If only one differs, ink covers most of that edge (a bar drawn along it),
    and both edges are taken to be at the middle level instead.
    """
    if abs((a - middle) + (b - middle)) > 0.5 * abs(a - b) + 0.05:
        return middle, middle
    return float(a), float(b)


def _ring(g: np.ndarray, k: int) -> np.ndarray:
    """Return the pixels of the k-wide ring along the edges of g (H, W), as one 1-D array."""
    return np.concatenate(
        [g[:k].ravel(), g[-k:].ravel(), g[k:-k, :k].ravel(), g[k:-k, -k:].ravel()]
    )


def _shrunk(im: Image.Image) -> Image.Image:
    """Return `im` box-averaged down by a whole factor so its longer side is <= LOAD_SIDE.

    Done in Pillow, on the decoded pixels, before any NumPy or float copy: a 40-megapixel
    RGBA scan would otherwise need several 160 MB float arrays (more than 500 MB in all),
    and `to_mnist28` averages it down to WORK_SIDE anyway. Modes that Pillow cannot
    reduce are converted first (palette and 1-bit to L or RGBA, 16-bit to 32-bit I).
    """
    factor = -(-max(im.size) // LOAD_SIDE)
    if factor <= 1:
        return im
    if im.mode in ("P", "1") or im.mode.startswith("I;16"):  # all others reduce as they are
        if im.mode.startswith("I;16"):
            im = im.convert("I")
        elif "A" in im.getbands() or "transparency" in im.info:
            im = im.convert("RGBA")
        else:
            im = im.convert("L")
    return im.reduce(factor)


def _luminance(im: Image.Image, name: str) -> np.ndarray:
    """Return float32 (H, W) in [0, 1] from a decoded Pillow image of any mode.

    Integer and float images ("I", "F", 16-bit) are scaled by their range and clipped, so
    negative values are black and huge ones white; NaN or infinite pixels are refused with
    an ImageError naming the file `name`.
    """
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        values = np.asarray(im, dtype=np.float32)
        if not np.isfinite(values).all():
            bad = int(np.count_nonzero(~np.isfinite(values)))
            raise ImageError(
                f"{name}: {bad:,} of {values.size:,} pixels are NaN or infinite "
                "(a float image needs finite values to show ink on paper)"
            )
        top = float(values.max(initial=0.0))
        # 16-bit scans use 0..65535; some "I"/"F" files hold 0..255 or 0..1; beyond 65535
        # (32-bit or float data of any range) the brightest value is white.
        scale = top if top > 65535 else 65535.0 if top > 255 else 255.0 if top > 1 else 1.0
        return np.clip(values / np.float32(scale), 0.0, 1.0)
    if "A" not in im.getbands() and "transparency" not in im.info:
        return np.asarray(im.convert("L"), dtype=np.float32) / np.float32(255.0)

    rgba = im.convert("RGBA")
    luma = np.asarray(rgba.convert("L"), dtype=np.float32) / np.float32(255.0)
    alpha = np.asarray(rgba.getchannel("A"), dtype=np.float32) / np.float32(255.0)
    see_through = alpha < 0.5
    if not see_through.any() or see_through.all():
        return luma if not see_through.all() else np.ones_like(luma)
    visible = luma[~see_through]
    if see_through.mean() >= 0.5:
        # Mostly transparent: the visible pixels are the ink; the backdrop must contrast.
        backdrop = 1.0 if visible.mean() < 0.5 else 0.0
    else:
        # Mostly opaque: the visible pixels are paper and ink; margins take the paper's tone.
        backdrop = float(np.median(visible))
    return luma * alpha + backdrop * (1.0 - alpha)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
