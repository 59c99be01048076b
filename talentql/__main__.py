import sys

from talentql.cli import main

sys.exit(main())
