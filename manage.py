#!/usr/bin/env python
import sys

from tillit.cli import main

if __name__ == "__main__":
    sys.exit(main())
