"""The `tillit` command: Django's management commands, plus `tillit spc` for the analysis engine."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "spc":
        # The analysis engine runs without Django: no settings, no database.
        from tillit.analysis.cli import main as spc_main

        return spc_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line  # after the settings variable is set

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
