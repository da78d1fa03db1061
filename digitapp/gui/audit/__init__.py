"""The Mistakes and Insights tabs: an audit of the active model on the test set."""
