"""The Inside window: a model's layers live for the current drawing, why it chose its digit,
what one unit responds to, and the architecture diagram exported (issue 16)."""
