"""The bundle's one executable: the studio, or the marketplace for demo mode's child processes.

A frozen bundle has no `python -m marketplace`, so demo mode starts this same executable with
FROZEN_MARKETPLACE_ARG first (see studio/demo_mode.py). The studio and the marketplace still
share only the HTTP contract: this file is the one place that knows both.
"""

import multiprocessing
import sys


def main() -> int:
    # Photo batches run in "spawn" worker processes, which re-run this executable.
    multiprocessing.freeze_support()
    from studio.demo.mode import FROZEN_MARKETPLACE_ARG

    if sys.argv[1:2] == [FROZEN_MARKETPLACE_ARG]:
        from marketplace.cli import main as marketplace_main

        return marketplace_main(sys.argv[2:])
    from studio.cli import main as studio_main

    return studio_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
