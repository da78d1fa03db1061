"""Pure NumPy neural-network engine: layers, losses, optimizers, schedules, model, trainer."""
