"""`python -m laborcommons.cli` runs the command line."""

from laborcommons.cli.main import main

main()
