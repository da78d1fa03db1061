"""Analyses of a model: NumPy in, NumPy out."""
