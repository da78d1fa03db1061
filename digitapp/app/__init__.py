"""Use-cases shared by the GUI and the CLI: train, evaluate, classify. No Qt."""
