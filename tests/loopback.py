"""A socket on loopback that records every connection made to it: the proof that a query
with SERVICE made no request."""
from __future__ import annotations

import contextlib
import socket
import threading


@contextlib.contextmanager
def recording_listener():
    """(port, calls): each connection's first bytes are appended to `calls`."""
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.1)
    calls, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = sock.accept()
                calls.append(connection.recv(200))
                connection.close()
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], calls
    finally:
        stop.set()
        thread.join(2)
        sock.close()
