import sys

from stress.run import main

sys.exit(main())
