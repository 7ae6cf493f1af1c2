#!/usr/bin/python3
"""Small network helpers for the server scripts.

  netutil.py free-ports N             print N distinct TCP ports on 127.0.0.1
                                      that were free a moment ago.  Another
                                      program may take one before the caller
                                      binds it: only for servers that cannot
                                      bind port 0 and report it (Dovecot),
                                      and the caller must retry then
                                      (dovecot.sh does).
  netutil.py wait-port PORT [SECS] [--tls]
                                      poll until 127.0.0.1:PORT accepts a
                                      connection and sends a first line (a
                                      greeting), or until SECS (default 30)
                                      pass; exit 1 then.  --tls: the port
                                      speaks TLS first, so only wait for the
                                      connection to be accepted.
"""
import socket
import sys
import time


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def wait_port(port, secs=30.0, tls=False):
    deadline = time.monotonic() + secs
    delay = 0.005
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                if tls:
                    return True
                s.settimeout(max(0.1, deadline - time.monotonic()))
                if s.recv(1):
                    return True
        except OSError:
            pass
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
    return False


def main(argv):
    if len(argv) >= 2 and argv[0] == "free-ports":
        print(" ".join(str(p) for p in free_ports(int(argv[1]))))
        return 0
    if len(argv) >= 2 and argv[0] == "wait-port":
        args = [a for a in argv[1:] if a != "--tls"]
        secs = float(args[1]) if len(args) > 1 else 30.0
        return 0 if wait_port(int(args[0]), secs, "--tls" in argv) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
