"""No network for the processes that run untrusted work (SPARQL queries, submission checks).

A second wall behind `sparql_guard`: even a query that reached pyoxigraph with a SERVICE
clause, or a JSON-LD document that made a parser reach out, cannot open a connection from a
process that has called `deny_network`. It installs a seccomp filter (Linux) through
libseccomp, on every thread of the process, that makes these system calls fail with EPERM:

- `socket` whatever the family: no new TCP/UDP socket, no AF_UNIX socket to a local
  resolver (nscd, systemd-resolved: a host name looked up there leaks it as a DNS query),
  no netlink or packet socket;
- `connect`, `bind`, `listen`, `accept`, `accept4`, `sendto`, `sendmsg`, `sendmmsg`: nothing
  done with a socket the process may have inherited (a worker talks to its parent through
  a pipe, with `read` and `write`);
- `io_uring_setup`: io_uring operations are not seen by seccomp filters.

A filter cannot be removed, and children inherit it; it needs no privilege (it sets
no_new_privs). Where it cannot be installed (not Linux, no libseccomp, seccomp disabled),
`unavailable_reason` says why: `llmboom query` then warns once, and `llmboom serve` refuses to
start unless given `--allow-unsandboxed-queries`.
"""

from __future__ import annotations

import errno
import sys
from functools import cache
from typing import Final

from llmboom.errors import LlmboomError

#: System calls the filter makes fail (see the module's docstring).
DENIED_SYSCALLS: Final = (
    "socket",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "sendto",
    "sendmsg",
    "sendmmsg",
    "io_uring_setup",
)
#: The option of `llmboom serve` that runs queries without the sandbox where it is missing.
ALLOW_UNSANDBOXED_OPTION: Final = "--allow-unsandboxed-queries"


class SandboxUnavailableError(LlmboomError):
    """This platform cannot deny a process the network."""


def deny_network() -> None:
    """Make every thread of this process unable to use the network, for good.

    Raise `SandboxUnavailableError` (nothing changed) where the filter cannot be installed.
    """
    seccomp = _library()
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, not just the caller
        for name in DENIED_SYSCALLS:
            try:
                rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
            except (OSError, ValueError):  # a call this architecture does not have
                if name != "io_uring_setup":
                    raise
        rules.load()
    except (OSError, ValueError, RuntimeError) as error:
        raise SandboxUnavailableError(
            f"cannot install the seccomp filter that keeps queries off the network: {error}"
        ) from None


@cache
def unavailable_reason() -> str | None:
    """Why `deny_network` cannot work here, or None when it can (checked without
    installing anything)."""
    try:
        seccomp = _library()
        seccomp.SyscallFilter(seccomp.ALLOW)  # libseccomp loads and allocates a filter
    except SandboxUnavailableError as error:
        return str(error)
    except (OSError, ValueError, RuntimeError) as error:
        return f"libseccomp does not work here: {error}"
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status.read().splitlines() if ":" in line)
    except OSError:
        return None
    if "Seccomp" not in fields:
        return "this kernel has no seccomp filters (no Seccomp line in /proc/self/status)"
    return None


def _library():
    """pyseccomp, or `SandboxUnavailableError` saying why not."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailableError(f"no seccomp on {sys.platform} (Linux only)")
    try:
        import pyseccomp
    except (ImportError, OSError, RuntimeError) as error:
        raise SandboxUnavailableError(f"libseccomp cannot be loaded: {error}") from None
    return pyseccomp
