"""A network guard for tests: every connection, datagram or name lookup that would leave this machine is
refused and recorded; loopback and Unix sockets pass, so a local server can still be reached.

In this process: `with Guard() as guard: ...`. In a child process: `child_env(log)` puts a generated
sitecustomize.py first on PYTHONPATH, which installs a guard writing each attempt to `log` as a JSON
line before any other module (Streamlit, urllib3, the analyzer) is imported.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_local(host) -> bool:
    """Loopback names and addresses (127.0.0.0/8, ::1); an empty host means this machine."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).split("%", 1)[0].strip("[]").lower()
    if host in LOCAL_NAMES or host in ("", "0.0.0.0", "::") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Guard:
    """Patches the socket module; `attempts` lists what was refused, `log` also gets them as JSON lines."""

    log: str | None = None
    attempts: list[dict] = field(default_factory=list)
    _saved: dict = field(default_factory=dict)

    def _refuse(self, kind: str, target) -> None:
        attempt = {"kind": kind, "target": repr(target),
                   "where": "".join(traceback.format_stack(limit=12)[:-2])}
        self.attempts.append(attempt)
        if self.log:
            with open(self.log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(attempt) + "\n")

    def install(self) -> Guard:
        sock = socket.socket
        self._saved = {"connect": sock.connect, "connect_ex": sock.connect_ex, "sendto": sock.sendto,
                       "getaddrinfo": socket.getaddrinfo, "gethostbyname": socket.gethostbyname,
                       "gethostbyname_ex": socket.gethostbyname_ex}
        saved, guard = self._saved, self

        def outside(s, address) -> bool:
            return s.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0])

        def connect(s, address):
            if outside(s, address):
                guard._refuse("connect", address)
                raise OSError(errno.ENETUNREACH, "network access blocked by the test guard")
            return saved["connect"](s, address)

        def connect_ex(s, address):
            if outside(s, address):
                guard._refuse("connect", address)
                return errno.ENETUNREACH
            return saved["connect_ex"](s, address)

        def sendto(s, data, *args):
            address = args[-1]
            if outside(s, address):
                guard._refuse("sendto", address)
                raise OSError(errno.ENETUNREACH, "network access blocked by the test guard")
            return saved["sendto"](s, data, *args)

        def lookup(name):
            def look(host, *args, **kwargs):
                if not is_local(host):
                    guard._refuse(name, host)
                    raise socket.gaierror(socket.EAI_NONAME, "name lookup blocked by the test guard")
                return saved[name](host, *args, **kwargs)
            return look

        sock.connect, sock.connect_ex, sock.sendto = connect, connect_ex, sendto
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            setattr(socket, name, lookup(name))
        return self

    def uninstall(self) -> None:
        sock = socket.socket
        sock.connect, sock.connect_ex, sock.sendto = (self._saved[k] for k in ("connect", "connect_ex", "sendto"))
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            setattr(socket, name, self._saved[name])

    def __enter__(self) -> Guard:
        return self.install()

    def __exit__(self, *exc) -> None:
        self.uninstall()


SITECUSTOMIZE = f"""\
import os, sys
sys.path.insert(0, {str(ROOT)!r})
from tests.netguard import Guard
Guard(os.environ["NETGUARD_LOG"]).install()
del sys.path[0]
"""


def child_env(folder: Path) -> tuple[dict, Path]:
    """Environment for a child process that runs under the guard, and the log it writes attempts to."""
    site = folder / "netguard-site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = folder / "netguard.jsonl"
    log.touch()
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "NETGUARD_LOG": str(log)}, log


def read_log(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
