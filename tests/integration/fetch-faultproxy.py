#!/usr/bin/python3
"""A TCP relay that cuts connections in the middle of the server's data.

  fetch-faultproxy.py TARGET_PORT PORTFILE CUT1,CUT2,...

Connection k (from 0) forwards at most CUTk bytes from the server to the
client and then closes both sides; connections past the list are relayed
whole.  Writes the listening port to PORTFILE.  Runs until killed.
"""
import os
import socket
import sys
import threading


def pump(src, dst, limit):
    sent = 0
    try:
        while limit is None or sent < limit:
            want = 65536 if limit is None else min(65536, limit - sent)
            data = src.recv(want)
            if not data:
                break
            dst.sendall(data)
            sent += len(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    target, portfile, cuts = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    cuts = [int(c) for c in cuts.split(",") if c]
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(ls.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    n = 0
    while True:
        c, _ = ls.accept()
        s = socket.create_connection(("127.0.0.1", target))
        limit = cuts[n] if n < len(cuts) else None
        n += 1
        threading.Thread(target=pump, args=(c, s, None), daemon=True).start()
        threading.Thread(target=pump, args=(s, c, limit), daemon=True).start()


if __name__ == "__main__":
    main()
