"""`studio db backup|restore|check`."""

import argparse
import sys
from pathlib import Path

from studio.storage import backup
from studio.storage.database import integrity_problems, open_database
from studio.storage.instance_lock import InstanceLock, LockedByAnotherCopy


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="back up, restore and check the database")
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("backup", help="make a backup now").set_defaults(func=backup_now)
    restore = actions.add_parser("restore", help="restore a backup (the latest by default)")
    restore.add_argument("file", nargs="?", type=Path, help="a backup file")
    restore.add_argument("--list", action="store_true", help="list the backups and stop")
    restore.set_defaults(func=restore_backup)
    actions.add_parser("check", help="run a full integrity check").set_defaults(func=check)


def backup_now(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir)
    path = backup.create_backup(database.engine, args.data_dir)
    print(f"Backed up to {path}")
    return 0


def restore_backup(args: argparse.Namespace) -> int:
    backups = backup.list_backups(args.data_dir)
    if args.list:
        for path in backups:
            print(path)
        return 0
    source = args.file or (backups[0] if backups else None)
    if source is None:
        print("There is no backup to restore yet.", file=sys.stderr)
        return 1
    try:
        # Restoring under a running app would pull the file from under it.
        with InstanceLock(args.data_dir):
            kept = backup.restore_backup(source, args.data_dir)
    except (LockedByAnotherCopy, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Restored {source.name}.")
    if kept:
        print(f"The database it replaced is kept as {kept}")
    return 0


def check(args: argparse.Namespace) -> int:
    database = open_database(args.data_dir, upgrade=False)
    problems = integrity_problems(database.engine)
    for problem in problems:
        print(problem)
    print("The database is sound." if not problems else f"{len(problems)} problem(s) found.")
    return 0 if not problems else 1
