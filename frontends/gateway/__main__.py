import sys

from frontends.gateway.cli import main

sys.exit(main())
