"""``python -m negotiation_sim.cli``: the ``negotiation-sim`` command."""

import sys

from negotiation_sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
