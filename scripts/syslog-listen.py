#!/usr/bin/env python3
"""syslog-listen.py PATH OUT: receive syslog datagrams on the Unix socket
PATH (such as /dev/log) and append them to OUT as rsyslog writes them to a
file ("Mmm dd hh:mm:ss host ident[pid]: message"), for
scripts/record-fixtures.sh on a machine without a syslog daemon. It stops
on SIGTERM and removes the socket."""
import os, re, signal, socket, sys

path, out = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o666)

def stop(*_):
    os.unlink(path)
    sys.exit(0)

signal.signal(signal.SIGTERM, stop)
with open(out, "a") as f:
    while True:
        data = sock.recv(65536).decode("utf-8", "replace").rstrip("\n\0")
        data = re.sub(r"^<\d+>", "", data)
        # rsyslog escapes control characters on receipt: a line feed
        # inside a message becomes "#012".
        data = data.replace("\r", "#015").replace("\n", "#012")
        m = re.match(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (.*)$", data)
        if m:
            data = m.group(1) + " vm " + m.group(2)
        f.write(data + "\n")
        f.flush()
