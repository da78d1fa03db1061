"""Datasets (IDX/MNIST), augmentation and preprocessing of images into MNIST-like inputs."""
