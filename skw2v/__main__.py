"""``python -m skw2v``: the command line of :mod:`skw2v.cli`."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
