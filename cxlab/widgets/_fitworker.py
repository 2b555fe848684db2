"""Clusterings fitted ahead for the segment explorer, in a separate low-priority process.

The explorer fits the settings a user is likely to choose next while the user looks at the
figure. Done in a thread of the kernel, those fits compete with the explorer's own answer to
the next change (the interpreter lock, and scikit-learn's threads on both cores). In a
separate process, limited to one thread and at a lower scheduling priority, they do not.

The worker is a plain child interpreter (``python -m cxlab.widgets._fitworker``) that talks
over its standard input and output: unlike :mod:`multiprocessing`, it never re-runs the
user's script or notebook to start. This module imports no widget or plotting code.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
import weakref
from pathlib import Path

__all__ = ["FitWorker"]

_HEADER = struct.Struct("<Q")
#: workers alive at once in a kernel: re-running an explorer's cell makes a new explorer while the
#: old one stays registered with the widget manager; beyond this, the oldest worker is ended (its
#: explorer then fits in its own process, as where no worker can start)
MAX_WORKERS = 2
_LIVE: list[weakref.ref] = []
#: one thread for every numeric library, set before they load
_ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                      "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("the fitting process has ended")
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the fitting process has ended")
    return pickle.loads(data)  # noqa: S301 - our own child process, over its private pipe


class FitWorker:
    """A child process holding the feature table; :meth:`fit` returns the clustering at one setting.

    Raises :class:`OSError` (or :class:`EOFError`) when the process cannot start or has died;
    the explorer then fits in its own process instead.
    """

    def __init__(self, features, random_state: int) -> None:
        package_root = str(Path(__file__).resolve().parents[2])  # so the child finds this cxlab
        env = {**os.environ, **_ONE_THREAD,
               "PYTHONPATH": os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        self._process = subprocess.Popen([sys.executable, "-m", "cxlab.widgets._fitworker"], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._lock = threading.Lock()
        # the child ends with its explorer, or with the kernel (its input closes)
        self._finalizer = weakref.finalize(self, _end, self._process)
        _send(self._process.stdin, (features, random_state))
        alive = [w for w in (r() for r in _LIVE) if w is not None and w._finalizer.alive]
        for old in alive[:max(0, len(alive) - MAX_WORKERS + 1)]:
            old.close()
        _LIVE[:] = [weakref.ref(w) for w in alive if w._finalizer.alive] + [weakref.ref(self)]

    def fit(self, key: tuple):
        """The :class:`~cxlab.segmentation.Segmentation` at ``(columns, method, k)``, silhouette computed."""
        if not self._finalizer.alive:
            raise EOFError("the fitting process was ended")
        with self._lock:
            _send(self._process.stdin, key)
            ok, value = _receive(self._process.stdout)
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """End the child process now (a fit under way is dropped)."""
        self._finalizer()


def _end(process: subprocess.Popen) -> None:
    try:
        process.stdin.close()
    except OSError:
        pass
    process.kill()
    process.wait()


def _serve(stdin, stdout) -> None:
    """The child's loop: the features first, then one setting in, one clustering (or error) out."""
    if hasattr(os, "nice"):
        try:
            os.nice(10)  # the kernel answering a change comes first
        except OSError:
            pass
    from cxlab.segmentation import cluster_customers

    features, random_state = _receive(stdin)
    while True:
        try:
            columns, method, k = _receive(stdin)
        except EOFError:
            return
        try:
            result = cluster_customers(features, method=method, k=k, columns=list(columns),
                                       random_state=random_state)
            result.silhouette  # noqa: B018 - computed here, shipped with the result
            reply = (True, result)
        except Exception as exc:  # noqa: BLE001 - sent back to the explorer, which decides
            reply = (False, exc)
        _send(stdout, reply)


if __name__ == "__main__":
    _reply_to = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a library prints must not mix into the replies
    _serve(sys.stdin.buffer, _reply_to)
