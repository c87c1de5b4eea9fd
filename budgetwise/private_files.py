"""The one owner of "create a file or directory only its owner can read" (session 14, privacy).

BudgetWise's data directory, its SQLite database (and the -wal/-shm files SQLite creates next to
it), the generated secret key and backup files hold someone's whole financial history, password
hashes and two-factor secrets. Created with the process umask (typically 022) they were readable
by every local user of a shared machine. What BudgetWise *creates* is made private: directories
0700, files 0600. What already exists (a directory or database the admin created, with the
permissions they chose) is left as it is: changing an admin's deliberate group access would
break their set-up (a backup user, a shared group), and a warning belongs in the docs instead.

On non-POSIX systems (Windows) ``os.chmod`` only toggles the read-only flag; the modes are
requested but only POSIX enforces them.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private(path: Path) -> None:
    """Make an existing file BudgetWise wrote itself (a backup, a temporary copy) owner-only (0600)."""
    os.chmod(path, PRIVATE_FILE_MODE)


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents with mode 0700; directories that exist are left alone."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:  # another process made it at the same moment (with its own mode)
            continue
        os.chmod(directory, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask
    if not path.is_dir():
        raise NotADirectoryError(f"{path} exists and is not a directory")


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists; True if this call created it.

    An empty file is a valid (empty) SQLite database, so creating the database file this way
    before SQLite opens it makes it private from its first byte; SQLite then gives its -wal,
    -shm and -journal files the main file's mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.chmod(path, PRIVATE_FILE_MODE)  # the open's mode is masked by the umask
    finally:
        os.close(fd)
    return True
