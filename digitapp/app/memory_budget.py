"""Refuse a training job that would not fit in memory, before anything is allocated.

The need is the engine's estimate for the network (engine/memory.py: parameters, optimizer
state, one batch's activations) plus the training data as float32 inputs. The budget is a
share of the memory this machine can give now (MemAvailable, or the physical memory where
/proc/meminfo is missing) and of what is left of the process's address-space limit, if
it has one (RLIMIT_AS: past it every allocation fails with MemoryError).
"""

from __future__ import annotations

import os

try:
    import resource  # Unix only
except ImportError:  # Windows: no address-space limit to respect
    resource = None

from ..engine.memory import training_memory

BUDGET_SHARE = 0.75  # of the available memory: leave room for the GUI and other programs
LIMIT_SHARE = 0.9  # of the address space left under RLIMIT_AS
MNIST_TRAIN_IMAGES = 60_000
MNIST_FILES_BYTES = 70_000 * 784  # the uint8 train and test images as loaded
GB = 1024**3


def available_memory() -> int:
    """Return the bytes a new allocation can count on: MemAvailable (else the physical
    memory), and at most what RLIMIT_AS leaves of this process's address space."""
    available = _meminfo_available()
    if available is None:
        available = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    budget = int(available * BUDGET_SHARE)
    soft, _ = resource.getrlimit(resource.RLIMIT_AS) if resource else (None, None)
    if soft is not None and soft != resource.RLIM_INFINITY:
        left = max(soft - _address_space_used(), 0)
        budget = min(budget, int(left * LIMIT_SHARE))
    return budget


def check_training_memory(job) -> None:
    """Raise ValueError (one line, with the figures) if `job` (a TrainingJob whose other
    values are valid) needs more memory than `available_memory()`."""
    from .architectures import architecture_config

    config = job.config
    batch = min(config.batch_size, training_images(job))  # a batch never exceeds the data
    need = training_memory(architecture_config(job.arch, job.hidden, job.dropout), batch,
                           config.optimizer, config.workers, config.weight_decay > 0)
    data = data_bytes(job)
    budget = available_memory()
    if need.total + data > budget:
        raise ValueError(
            f"training this network needs about {_size(need.total + data)} of memory "
            f"(parameters and optimizer state {_size(need.parameters)}, activations of a "
            f"batch of {batch:,} {_size(need.activations)}, data {_size(data)}), more than "
            f"the {_size(budget)} this machine can spare: use fewer or smaller layers or "
            "a smaller batch size")


def training_images(job) -> int:
    """Return how many images the job trains on (bundled MNIST's count for other data)."""
    left = MNIST_TRAIN_IMAGES - job.val_size
    return left if job.train_size is None else min(job.train_size, left)


def data_bytes(job) -> int:
    """Return the bytes of the loaded data: the uint8 files and the float32 inputs of the
    training and validation images."""
    return MNIST_FILES_BYTES + 4 * 784 * (training_images(job) + job.val_size)


def _size(n: int) -> str:
    return f"{n / GB:.1f} GB" if n >= GB else f"{n / 1024**2:.0f} MB"


def _meminfo_available() -> int | None:
    return _proc_field("/proc/meminfo", "MemAvailable")


def _address_space_used() -> int:
    """Return this process's virtual size (VmSize), 0 if unknown."""
    return _proc_field("/proc/self/status", "VmSize") or 0


def _proc_field(path: str, key: str) -> int | None:
    """Return the bytes of a "Key:   N kB" line of a /proc file, None if unknown."""
    try:
        with open(path, encoding="ascii") as f:
            for line in f:
                if line.startswith(f"{key}:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None
