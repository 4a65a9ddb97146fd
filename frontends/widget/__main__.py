import sys

from frontends.widget.cli import main

sys.exit(main())
