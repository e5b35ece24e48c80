"""`python -m llmboom` runs the command line."""

from llmboom.cli import main

main()
