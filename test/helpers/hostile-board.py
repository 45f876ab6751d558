"""A hostile MicroPython board for heaptop's tests: a pseudo-terminal whose far end answers the raw REPL as
MicroPython does (banner, raw-paste refused, OK, output, two Ctrl-D, prompt), but puts escape sequences,
C1 controls and bidi overrides in every field heaptop shows: the implementation, version, platform and
machine name, the cells of its mem_info(1) dump, program output. Standard library only.

    python3 hostile-board.py board LINK MODE      the board on a pty, LINK a symlink to it; MODE is
        escapes (answers at once), endless (a dump that never ends), huge (a 16 MiB frame), slow (its dump
        at 1 byte/s), slow-all (every answer at 1 byte/s), listen (never reads: prints hostile output and a
        dump every 200 ms, as a program would), listen-endless (never reads: starts a dump that never ends). While it trickles, a Ctrl-C stops the answer, as
        KeyboardInterrupt would. It writes "raw" or "friendly" to LINK.state at each change of REPL, so that
        a test can tell where heaptop left it.
    python3 hostile-board.py terminal LOG WAIT_FOR DEADLINE_S -- COMMAND...
        runs COMMAND on a pty of 80x24, as a user's terminal, writes every byte it prints to LOG, types q
        once WAIT_FOR has appeared on its screen (or at the deadline), and exits with its status

It prints "ready" on stdout once the board's link exists.
"""

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
import tty

HOSTILE = b"\x1b]0;pwned\x07\x1b[2J\x1b[?1049l\xc2\x9b6n\xe2\x80\xae\x07"
# What heaptop's identify prints: sys.implementation as MicroPython prints it, the platform, whether mem_info
# exists (left out when the dump follows in the same exchange).
IDENTITY_FIELDS = b"(name='micropython', version=(1, 22, 1), _machine='Pico \x1b]0;pwned\x07\xe2\x80\xaeW \xc2\x85') rp2\x1b[H"
IDENTITY = IDENTITY_FIELDS + b" True\r\n"


def dump():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "mem_info",
                        "qemu-mps2an385-v1.29pre-mem_info1.txt")
    with open(path, "rb") as f:
        text = f.read()
    # Hostile bytes inside the map's cells: where a row's letters are.
    return text.replace(b"hhhh", b"h\x1b]0;pwned\x07h", 3).replace(b"====", b"=\xe2\x80\xae=", 2)


class Interrupted(Exception):
    """Ctrl-C came while an answer trickled out; `rest` holds the bytes read after it."""

    def __init__(self, rest):
        super().__init__("interrupted")
        self.rest = rest


def write_all(fd, data, pace=0.0):
    if pace:
        for i in range(len(data)):
            os.write(fd, data[i:i + 1])
            ready, _, _ = select.select([fd], [], [], pace)
            if ready:
                heard = os.read(fd, 4096)
                if b"\x03" in heard:
                    raise Interrupted(heard[heard.index(b"\x03") + 1:])
        return
    while data:
        try:
            n = os.write(fd, data)
            data = data[n:]
        except BlockingIOError:
            select.select([], [fd], [], 1)


def board(link, mode):
    state_path = link + ".state"

    def tell(state):
        with open(state_path, "w") as f:
            f.write(state)

    tell("friendly")
    master, slave = os.openpty()
    tty.setraw(slave)
    name = os.ttyname(slave)
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(name, link)
    print("ready", flush=True)
    raw = False
    buffer = b""
    last_listen = 0.0

    def take(data):
        """Acts on the bytes heaptop sent; returns those read during an interrupted answer, still to act on."""
        nonlocal raw, buffer
        for index, byte in enumerate(data):
            b = bytes([byte])
            if not raw:
                if b == b"\x01":
                    raw = True
                    tell("raw")
                    buffer = b""
                    write_all(master, b"raw REPL; CTRL-B to exit\r\n>")
                elif b == b"\x03":
                    write_all(master, b"\r\n>>> ")
                continue
            if b == b"\x01":
                buffer = b""
                write_all(master, b"raw REPL; CTRL-B to exit\r\n>")
            elif b == b"\x02":
                raw = False
                tell("friendly")
                write_all(master, b"\r\nMicroPython v1.22.1 " + HOSTILE + b"\r\nType \"help()\" for more information.\r\n>>> ")
            elif b == b"\x03":
                buffer = b""
            elif b == b"\x05":
                buffer = b"\x05"
            elif buffer == b"\x05A" and b == b"\x01":
                buffer = b""
                write_all(master, b"R\x00")
            elif b == b"\x04":
                code = buffer
                buffer = b""
                try:
                    answer(master, code, mode)
                except Interrupted as stop:
                    write_all(master, b"\x04Traceback\r\nKeyboardInterrupt: \r\n\x04>")
                    return stop.rest + data[index + 1:]
            else:
                buffer += b
        return b""

    while True:
        timeout = 0.05 if mode == "listen" else 1.0
        ready, _, _ = select.select([master], [], [], timeout)
        if mode == "listen-endless":
            # A program that starts a dump and never ends it: rows of hostile cells at full speed, no reading.
            write_all(master, b"GC: total: 140032, used: 7520, free: 132512\r\nGC memory layout; from 2f890:\r\n")
            while True:
                write_all(master, (b"00000000: h" + HOSTILE + b"h" * 50 + b"\r\n") * 1000)
        if mode == "listen":
            now = time.time()
            if now - last_listen > 0.2:
                last_listen = now
                write_all(master, b"loop " + HOSTILE + b" done\r\n" + dump())
            if ready:
                try:
                    os.read(master, 4096)
                except OSError:
                    pass
            continue
        if not ready:
            continue
        try:
            data = os.read(master, 4096)
        except OSError:
            time.sleep(0.05)
            continue
        while data:
            data = take(data)


def print_until_ctrl_c(master):
    """Hostile lines without end; on a Ctrl-C, the end of a frame with a KeyboardInterrupt, as a board's."""
    while True:
        write_all(master, HOSTILE * 64 + b"\r\n")
        ready, _, _ = select.select([master], [], [], 0)
        if ready and b"\x03" in os.read(master, 4096):
            write_all(master, b"\x04Traceback\r\nKeyboardInterrupt: " + HOSTILE + b"\r\n\x04>")
            return


def write_huge(master, line):
    """A 16 MiB frame, as a program printing in a loop sends it: a Ctrl-C stops it between lines."""
    for _ in range(200):
        write_all(master, line * 1000)
        ready, _, _ = select.select([master], [], [], 0)
        if ready:
            heard = os.read(master, 4096)
            if b"\x03" in heard:
                raise Interrupted(heard[heard.index(b"\x03") + 1:])
    write_all(master, b"\x04\x04>")


def answer(master, code, mode):
    pace = 1.0 if mode == "slow-all" else 0.0
    if b"implementation" in code and b"mem_info(" not in code:
        write_all(master, b"OK" + IDENTITY + b"\x04\x04>", pace)
    elif b"mem_info" in code:
        write_all(master, b"OK", pace)
        if b"implementation" in code:
            write_all(master, IDENTITY_FIELDS + b"\r\n", pace)
        if mode == "endless":
            # Never ends: heaptop must stop it (Ctrl-C) or give up, and show none of it raw.
            print_until_ctrl_c(master)
            return
        elif mode == "huge":
            write_huge(master, b"00000000: " + b"h" * 64 + HOSTILE + b"\r\n")
        elif mode in ("slow", "slow-all"):
            write_all(master, dump() + b"\x04\x04>", pace=1.0)
        else:
            write_all(master, HOSTILE + b"\r\n" + dump() + b"\x04\x04>")
    elif mode == "endless":
        # Whatever heaptop runs prints without end, until Ctrl-C.
        write_all(master, b"OK")
        print_until_ctrl_c(master)
        return
    elif mode == "huge":
        write_all(master, b"OK")
        write_huge(master, HOSTILE + b"h" * 64 + b"\r\n")
    else:
        # Anything else (a gc figure, an import): output with escapes, and an error naming them.
        write_all(master, b"OK" + HOSTILE + b"1234\r\n\x04Traceback (most recent call last):\r\nImportError: no module named '" + HOSTILE + b"'\r\n\x04>", pace)


def terminal(log, wait_for, deadline, command):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    out = bytearray()
    start = time.time()
    typed = False
    while True:
        if not typed and (wait_for.encode() in out or time.time() - start > deadline):
            os.write(fd, b"q")
            typed = True
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if time.time() - start > deadline + 30:
            os.kill(pid, signal.SIGKILL)
            break
    _, status = os.waitpid(pid, 0)
    with open(log, "wb") as f:
        f.write(bytes(out))
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else 0)


if __name__ == "__main__":
    if sys.argv[1] == "board":
        board(sys.argv[2], sys.argv[3])
    else:
        terminal(sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[6:])
