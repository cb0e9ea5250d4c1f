"""Serving a store in Datasette: the checks before (a finsam store, up to date, nothing writing it while it
is served immutable), the Datasette instance with finsam's metadata and plugin (what the tests query), and
the server on the address asked for.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from finsam.errors import MissingDependencyError, OutdatedStoreError, ServeError, StoreError
from normalized.store import Store
from normalized.web.config import PLUGIN, metadata

if TYPE_CHECKING:
    from datasette.app import Datasette

WEB_EXTRA = "finsam serve needs the web extra: pip install 'finsam[web]'"

# Datasette's settings beside its defaults. A query may take 5 s, not 1: over every federation of a store of
# 700 reports (185 000 cells) the year diff takes 0.6 s and member contributions by year 0.3 s on one core,
# and stores grow past that; the server answers one analyst, on this machine unless --host says otherwise.
SETTINGS = {"sql_time_limit_ms": 5000}


def require_web_extra() -> None:
    """Raise MissingDependencyError (one line naming the extra) unless Datasette and the chart plugin are
    installed."""
    try:
        import datasette.app  # noqa: F401
        import datasette_dashboards  # noqa: F401
    except ImportError:
        raise MissingDependencyError(WEB_EXTRA) from None


def database_name(path: Path) -> str:
    """The name Datasette serves the store under (its URL path): the file name without its suffix."""
    return Path(path).stem


def prepare_store(path: Path, writable: bool = False) -> int | None:
    """Check that `path` is a finsam store that can be served, and upgrade a store from an older finsam
    first where it may be written (as every finsam command does when it opens one); return the schema
    version it was upgraded from, or None.

    Served immutable, the store is read as the file lies, so it must hold everything written to it: a
    store whose write-ahead log is not empty (an ingest running, or one killed midway) is refused. A store
    that is current is only read, never written, here.
    """
    path = Path(path)
    wal = path.with_name(path.name + "-wal")
    if not writable and path.is_file() and wal.is_file() and wal.stat().st_size > 0:
        raise StoreError(
            f"{path}: the store is being written (its write-ahead log {wal.name} holds changes not yet in "
            "the file): serve it when the writing is done, or with --writable to follow the changes"
        )
    try:
        Store(path, create=False, readonly=True, immutable=not writable).close()
        return None
    except OutdatedStoreError as outdated:
        if not (os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)):
            raise
        Store(path, create=False).close()  # the upgrade, in one transaction
        return outdated.version


def datasette_app(path: Path, writable: bool = False) -> Datasette:
    """The Datasette of `finsam serve` for the store at `path`: opened immutable (read as it lies, never
    written, no locks) unless `writable`, with finsam's metadata (normalized.web.config) and plugin."""
    require_web_extra()
    from datasette.app import Datasette
    from datasette.plugins import pm

    from normalized.web import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN)
    store = Store(path, create=False, readonly=True, immutable=not writable)
    try:
        busiest = store.db.execute(
            "SELECT fed.name FROM federations fed JOIN documents d ON d.federation_id = fed.id "
            "GROUP BY fed.id ORDER BY count(*) DESC, fed.name LIMIT 1"
        ).fetchone()
    finally:
        store.close()
    files = {"files": [str(path)]} if writable else {"immutables": [str(path)]}
    return Datasette(
        metadata=metadata(database_name(path), federation=busiest[0] if busiest else None),
        settings=SETTINGS,
        **files,
    )


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening (port 0: a free one), or ServeError in one line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        raise ServeError(f"--host {host}: not a host name or address this machine knows") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as err:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror}") from None
    return sock


def url_of(sock: socket.socket, path: str) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{f'[{host}]' if ':' in host else host}:{port}{path}"


def serve(
    path: Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    writable: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the store at `path` in Datasette on host:port until interrupted (Ctrl-C, SIGTERM); `on_ready`
    gets the store's URL once connections are accepted. Call prepare_store first."""
    import uvicorn

    ds = datasette_app(path, writable=writable)
    sock = listening_socket(host, port)
    server = uvicorn.Server(uvicorn.Config(ds.app(), log_level="warning", lifespan="on"))

    async def run() -> None:
        await ds.invoke_startup()
        if on_ready is not None:
            on_ready(url_of(sock, ds.urls.database(database_name(path))))
        await server.serve(sockets=[sock])

    # uvicorn stops on SIGINT and SIGTERM, then raises the signal again for its old handler: SIGTERM's, as
    # SIGINT's, is made KeyboardInterrupt, so a server stopped either way returns here (exit status 0)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler) if in_main else None
    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        if in_main:
            signal.signal(signal.SIGTERM, previous)
