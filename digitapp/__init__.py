"""digitapp: a desktop studio for handwritten digits, with a neural network written in NumPy."""

from digitapp.blas_kernels import choose_openblas_kernels

__version__ = "0.1.0"

# Before anything imports NumPy: OpenBLAS reads its kernel choice once, when it loads.
choose_openblas_kernels()
