"""The bench's stand-in for `pyboard.py --no-soft-reset -c COMMAND PORT`, where pyboard.py and pyserial are not
at hand: the same bytes in the same order, read the way pyboard.py reads a pty (one byte a call, each byte of
the output written to stdout and flushed as it comes), with only the standard library (no pyserial to import,
so this is, if anything, quicker than the real thing: a stricter peer for heaptop).

Sequence: open the port (exclusive, raw), Ctrl-C, drain, Ctrl-A, wait for the raw REPL banner and prompt,
raw-paste (Ctrl-E A Ctrl-A, window flow control, Ctrl-D), or the plain raw REPL when the board answers R\\x00;
follow the output to its two Ctrl-Ds, then Ctrl-B back to the friendly REPL and close.

Usage: python3 pyboard-sequence.py PORT COMMAND
"""

import fcntl
import os
import select
import struct
import sys
import termios
import tty


class Port:
    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        tty.setraw(self.fd)
        attrs = termios.tcgetattr(self.fd)
        attrs[4] = attrs[5] = termios.B115200
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)

    def waiting(self):
        return len(select.select([self.fd], [], [], 0)[0]) > 0

    def read(self, size, timeout=10.0):
        got = b""
        while len(got) < size:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                break
            got += os.read(self.fd, size - len(got))
        return got

    def write(self, data):
        view = memoryview(data)
        while view:
            select.select([], [self.fd], [])
            view = view[os.write(self.fd, view):]

    def close(self):
        termios.tcdrain(self.fd)
        os.close(self.fd)


def read_until(port, ending, consumer=None):
    data = b""
    while not data.endswith(ending):
        byte = port.read(1)
        if not byte:
            raise SystemExit("timeout waiting for %r" % ending)
        if consumer is not None:
            consumer(byte)
            data = byte
        else:
            data += byte
    return data


def write_out(byte):
    sys.stdout.buffer.write(byte.replace(b"\x04", b""))
    sys.stdout.buffer.flush()


def main():
    port = Port(sys.argv[1])
    command = sys.argv[2].encode()
    port.write(b"\r\x03")
    while port.waiting():
        port.read(256, timeout=0)
    port.write(b"\r\x01")
    read_until(port, b"raw REPL; CTRL-B to exit\r\n")
    read_until(port, b">")
    port.write(b"\x05A\x01")
    answer = port.read(2)
    if answer == b"R\x01":
        window = struct.unpack("<H", port.read(2))[0]
        remain = window
        sent = 0
        while sent < len(command):
            while remain == 0 or port.waiting():
                flow = port.read(1)
                if flow == b"\x01":
                    remain += window
                else:
                    raise SystemExit("unexpected %r during raw paste" % flow)
            chunk = command[sent:sent + remain]
            port.write(chunk)
            remain -= len(chunk)
            sent += len(chunk)
        port.write(b"\x04")
        read_until(port, b"\x04")
    else:
        if answer != b"R\x00":
            read_until(port, b"w REPL; CTRL-B to exit\r\n>")
        port.write(command + b"\x04")
        if port.read(2) != b"OK":
            raise SystemExit("could not exec command")
    read_until(port, b"\x04", consumer=write_out)
    error = read_until(port, b"\x04")[:-1]
    port.write(b"\r\x02")
    port.close()
    if error:
        sys.stdout.buffer.write(error)
        raise SystemExit(1)


main()
