"""How the command line says that something failed: one line on stderr, in one style.

    digitapp: FILE: what is wrong with that file      (a file named on the command line)
    digitapp: what went wrong                         (anything else)
    digitapp: --epochs: 'x' is not a whole number (see digitapp train --help)   (usage)
    digitapp: note: ...                               (not a failure: worth knowing)

Usage errors come from argparse in its own English ("argument --epochs: invalid int
value: 'x'", "the following arguments are required: IMAGE"); `usage_line` says them in
the same style and in the user's words, and names the --help that explains the command.
"""

from __future__ import annotations

import re
import sys

PREFIX = "digitapp: "

# argparse's message (Python 3.11+, English) -> ours. Tried in order; the first match wins,
# and a message that matches none is kept as argparse wrote it (minus "argument ").
_REWORDINGS = [
    (r"argument (?P<arg>\S+): invalid int value: (?P<value>.+)", "{arg}: {value} is not a whole "
     "number"),
    (r"argument (?P<arg>\S+): invalid float value: (?P<value>.+)", "{arg}: {value} is not a "
     "number"),
    # A positional written in capitals (COMMAND, ACTION) names what the word should have been.
    (r"argument (?P<what>[A-Z]+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
     "{value} is not {what} (one of: {choices})"),
    (r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
     "{arg}: {value} is not one of: {choices}"),
    (r"argument (?P<arg>\S+): expected one argument", "{arg} needs a value"),
    (r"the following arguments are required: (?P<names>.+)", "missing {names}"),
    (r"unrecognized arguments: (?P<names>.+)", "not understood: {names}"),
    (r"argument (?P<arg>\S+): (?P<rest>.+)", "{arg}: {rest}"),
]


def say(message: str) -> None:
    """Print `message` as digitapp's one line on stderr."""
    print(PREFIX + message, file=sys.stderr, flush=True)


def usage_line(message: str, prog: str) -> str:
    """Return the line (with its newline) for argparse's usage error `message` in the
    command `prog` ("digitapp train"): `digitapp: <in our words> (see <prog> --help)`."""
    message = " ".join(str(message).split())
    for pattern, wording in _REWORDINGS:
        found = re.fullmatch(pattern, message)
        if found is not None:
            parts = found.groupdict()
            if "choices" in parts:  # "'info', 'verify'" -> "info, verify"
                parts["choices"] = re.sub(r"'([^']*)'", r"\1", parts["choices"])
            if "what" in parts:
                what = parts["what"].lower()
                parts["what"] = ("an " if what[0] in "aeiou" else "a ") + what
            message = wording.format(**parts)
            break
    return f"{PREFIX}{message} (see {prog} --help)\n"
