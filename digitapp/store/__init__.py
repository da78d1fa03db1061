"""Persistent stores (SQLite): runs history, labelled drawings."""
