"""moto in server mode, serving one request at a time, for the test suite.

Real DynamoDB applies a conditional write atomically: of two concurrent UpdateItem calls whose
condition says "only if absent or expired", exactly one succeeds. moto's threaded server
evaluates the condition and applies the update without a lock, so under concurrency both can
succeed -- a fidelity gap of the emulator that a lease race test trips over at once. Holding one
lock around every request restores the guarantee the real service gives; each connection still
has its own thread, so keep-alive clients never block each other.

Usage: moto_server_atomic.py HOST PORT
"""

import os
import sys
import threading

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


class OneRequestAtATime:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            # Materialise the body inside the lock: the backend's work happens while iterating.
            return list(self.app(environ, start_response))


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        host,
        port,
        OneRequestAtATime(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
