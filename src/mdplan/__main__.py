"""``python -m mdplan``: the same as the ``mdplan`` command."""

from mdplan.cli import run_main

run_main()
