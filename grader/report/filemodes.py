"""File modes as the user's umask allows: what ``open()`` and ``mkdir()`` would give.

``tempfile.mkstemp`` and ``mkdtemp`` create 0600 files and 0700 folders whatever the umask,
so the result files written through them (atomically) would be unreadable to a TA group or
a web server. ``readable(path)`` gives them the mode a plain ``open``/``mkdir`` would have:
0644/0755 under the usual umask 022, 0640/0750 under 027, 0600/0700 under 077.
"""

import os
from pathlib import Path


def umask() -> int:
    """This process's umask, read without changing it where the OS allows (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore at once
    os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~umask()


def folder_mode() -> int:
    return 0o777 & ~umask()
