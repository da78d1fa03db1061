"""Help > Command line: which model ships with this build, and what the command line can do."""

from __future__ import annotations

from html import escape

# (command, what it does). The CLI itself lives in digitapp/cli.py; `digitapp --help` is
# the authority on options.
CLI_COMMANDS = (
    ("digitapp", "open this window"),
    ("digitapp train", "train a model and save it as a folder"),
    ("digitapp evaluate MODEL", "evaluate a model on the test set"),
    ("digitapp predict IMAGE ...", "classify image files of digits"),
    ("digitapp data info|verify", "inspect or verify a dataset"),
)


def welcome_html(models: list[str], default_model: str) -> str:
    """Return the Welcome page as rich text, given the shipped model names and the default."""
    if models:
        names = ", ".join(f"<b>{escape(name)}</b>" for name in models)
        model_line = f"Shipped model{'s' if len(models) > 1 else ''}: {names}."
        if default_model in models:
            model_line += (
                f" <tt>digitapp predict</tt> uses <b>{escape(default_model)}</b> "
                "unless told otherwise."
            )
    else:
        model_line = (
            "No trained model ships with this build yet (the <tt>weights/</tt> folder is "
            "empty). Train one with <tt>digitapp train</tt>."
        )
    commands = "".join(
        f"<tr><td><tt>{escape(command)}</tt></td><td>&nbsp;&nbsp;{escape(what)}</td></tr>"
        for command, what in CLI_COMMANDS
    )
    return (
        "<h2>Welcome to digitapp</h2>"
        "<p>Handwritten digits and a neural network written from scratch in NumPy.</p>"
        f"<p>{model_line}</p>"
        "<p>Everything is also available from the command line:</p>"
        f"<table>{commands}</table>"
        "<p>Run <tt>digitapp --help</tt> for the options of each command.</p>"
    )
