"""`python -m cli` runs the jixiao command line."""

from cli.main import main

main()
