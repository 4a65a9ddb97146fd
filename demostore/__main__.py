import sys

from demostore.cli import run

sys.exit(run())
