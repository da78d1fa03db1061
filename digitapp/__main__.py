"""`python -m digitapp`: the same entry point as the `digitapp` command."""

from digitapp.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
