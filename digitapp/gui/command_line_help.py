"""Help > Command line: which model ships with this build, and what the command line can do."""

from __future__ import annotations

from html import escape

# (command, what it does). The CLI itself lives in digitapp/cli.py; `digitapp --help` is
# the authority on options.
CLI_COMMANDS = (
    ("digitapp", "open this window"),
    ("digitapp train --out DIR", "train a model and save it as a folder"),
    ("digitapp evaluate MODEL", "evaluate a model on the test set (--robustness: as "
     "noise, blur, rotation... grow)"),
    ("digitapp predict IMAGE ...", "classify image files of digits (--number: a whole "
     "number per file)"),
    ("digitapp handwriting add|list|...", "your handwriting collection, as the My "
     "handwriting tab"),
    ("digitapp personalize --out DIR", "teach a copy of a model your handwriting"),
    ("digitapp calibrate MODEL", "fit a model's confidence on its validation split"),
    ("digitapp data info|verify", "inspect or verify a dataset"),
)


def command_line_html(models: list[str], default_model: str) -> str:
    """Return Help > Command line's page as rich text, given the shipped model names and
    the default."""
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
        f"<tr><td nowrap><tt>{escape(command)}</tt></td><td>&nbsp;&nbsp;{escape(what)}</td></tr>"
        for command, what in CLI_COMMANDS
    )
    return (
        "<h3>digitapp on the command line</h3>"
        "<p>What the window does is also available from a terminal, without it:</p>"
        f"<table>{commands}</table>"
        f"<p>{model_line} A model is named by its folder, or by name: <tt>cnn</tt>, "
        "<tt>mlp-512</tt> or one of yours.</p>"
        "<p>Run <tt>digitapp COMMAND --help</tt> for the options of each command.</p>"
    )
