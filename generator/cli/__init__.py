"""The `catalog` command: options → Settings → work → reporter → exit code.

The only package that knows click. Each module adds its commands to the one group, ``main``.
"""

from generator.cli import content, office, site  # noqa: F401  (they register their commands)
from generator.cli.cms import CMS_COMMANDS
from generator.cli.common import main

for _command in CMS_COMMANDS:  # cms, edit, submit, tidy
    main.add_command(_command)

__all__ = ["main"]
