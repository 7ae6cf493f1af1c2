#!/usr/bin/python3
"""The floor for the fetch benchmark: log in, then RETR every message,
pipelined with a window of 64 outstanding commands (a sender thread keeps
the window full while the main thread reads; sending all commands at once
is slower: Dovecot stalls on a burst), and throw the data away.  Counts
the replies to be sure all arrived.

With --check, the floor of a check that finds nothing new: log in, STAT,
UIDL, QUIT; prints the number of UIDL lines.

  floor.py [--check] HOST PORT USER PASSWORD
"""
import socket
import sys
import threading


def main():
    args = sys.argv[1:]
    check = args[:1] == ["--check"]
    if check:
        args = args[1:]
    host, port, user, pw = args[0], int(args[1]), args[2], args[3]
    s = socket.create_connection((host, port))
    f = s.makefile("rb")

    def cmd(c):
        s.sendall(c.encode() + b"\r\n")
        line = f.readline()
        if not line.startswith(b"+OK"):
            sys.exit("%s: %r" % (c, line))
        return line

    f.readline()
    cmd("USER " + user)
    cmd("PASS " + pw)
    n = int(cmd("STAT").split()[1])
    if check:
        cmd("UIDL")
        lines = 0
        while f.readline() != b".\r\n":
            lines += 1
        s.sendall(b"QUIT\r\n")
        print(lines)
        return

    window = 64
    cv = threading.Condition()
    state = {"done": 0}

    def sender():
        i = 1
        while i <= n:
            with cv:
                while i - 1 - state["done"] >= window:
                    cv.wait()
            k = min(n, i + 15)
            s.sendall(b"".join(b"RETR %d\r\n" % j for j in range(i, k + 1)))
            i = k + 1
    t = threading.Thread(target=sender)
    t.start()
    # Each reply ends with CRLF.CRLF; scan raw chunks for it.
    done, tail = 0, b""
    while done < n:
        chunk = s.recv(1 << 20)
        if not chunk:
            sys.exit("connection closed after %d messages" % done)
        buf = tail + chunk
        d = buf.count(b"\r\n.\r\n")
        if d:
            done += d
            with cv:
                state["done"] = done
                cv.notify()
        tail = buf[-4:]
    t.join()
    s.sendall(b"QUIT\r\n")
    print(done)


main()
