"""`python -m wortlaut …` is the `wortlaut` command."""

from .cli import main

main()
