"""`python -m kaa_report` = `kaa-report`."""
from .cli import main

main()
