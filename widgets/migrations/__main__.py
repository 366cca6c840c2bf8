"""``python -m widgets.migrations``: the store's migrations from the command line.

Uses the kit's database (``PAP_DATABASE_URL`` or the default SQLite file), or ``--url``.

    python -m widgets.migrations current
    python -m widgets.migrations upgrade
    python -m widgets.migrations revision -m "add reminders table"   # autogenerate a draft
"""

from __future__ import annotations

import argparse

from alembic import command
from sqlalchemy import create_engine

from widgets.migrations import alembic_config, upgrade
from widgets.store import default_database_url


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run one Alembic command on one connection."""
    ap = argparse.ArgumentParser(prog="python -m widgets.migrations", description=__doc__)
    ap.add_argument("--url", default=None, help="database URL (default: the kit's own)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("current", help="the revision the database is at")
    sub.add_parser("upgrade", help="bring the database to the newest revision")
    rev = sub.add_parser("revision", help="write a draft revision from the models' changes")
    rev.add_argument("-m", "--message", required=True)
    args = ap.parse_args(argv)
    engine = create_engine(args.url or default_database_url())
    try:
        if args.cmd == "upgrade":
            print(upgrade(engine))
            return
        with engine.begin() as conn:
            cfg = alembic_config(conn)
            if args.cmd == "current":
                command.current(cfg, verbose=True)
            else:
                command.revision(cfg, message=args.message, autogenerate=True)
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
