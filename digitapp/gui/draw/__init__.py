"""The Draw tab: the canvas, the live prediction and the model picker."""
