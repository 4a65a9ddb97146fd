"""`python -m frontends.voice.speech.worker_process FD FACTORY OPTIONS`: a worker's process.

EngineWorker starts this with its end of a socket pair as FD, the engine to load as
"module:Class" and its options as JSON. A module of its own, which the package does not
import, so running it with -m does not import it twice.
"""

from __future__ import annotations

import json
import sys
from multiprocessing.connection import Connection

from frontends.voice.speech.worker import serve


def main(argv: list[str]) -> None:
    fd, factory, options = argv
    serve(Connection(int(fd)), factory, json.loads(options))


if __name__ == "__main__":
    main(sys.argv[1:])
