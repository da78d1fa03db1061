"""The My handwriting tab: the user's labelled drawings by digit, and Teach."""
