import sys

from frontends.voice.cli import main

sys.exit(main())
