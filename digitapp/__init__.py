"""digitapp: a desktop studio for handwritten digits, with a neural network written in NumPy."""

__version__ = "0.1.0"
