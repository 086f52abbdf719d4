"""The private channel to the platform for Stagecraft's Python runtime (bootstrap.py): its fds,
frames (`TYPE LENGTH META-JSON\\n BODY`, see src/runtime/channel.ts), the Runtime API over it, and
sys.stdout / sys.stderr written as 'O' frames. Standard library only, like the bootstrap.
"""

import json
import os
import resource
import sys
import time


def _take_fd(name):
    raw = os.environ.pop(name, None)
    try:
        fd = int(raw) if raw is not None else -1
    except ValueError:
        return None
    return fd if fd > 2 else None


OUT_FD = _take_fd("_STAGECRAFT_OUT_FD")
IN_FD = _take_fd("_STAGECRAFT_IN_FD")
def write_frame(frame_type, meta, body=b"", trailer=b""):
    data = ("%s %d %s\n" % (frame_type, len(body), json.dumps(meta))).encode("utf-8") + body + trailer
    view = memoryview(data)
    while view:
        written = os.write(OUT_FD, view)
        view = view[written:]


def peak_rss():
    """This process's peak resident memory in bytes, for REPORT's Max Memory Used."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Invocation(object):
    """One invocation as a transport hands it over (timeout_ms: sent ahead, its deadline not yet set)."""

    __slots__ = ["request_id", "deadline_ms", "timeout_ms", "arn", "trace_id", "client_context", "identity", "body"]

    def __init__(self, request_id, deadline_ms, arn, trace_id, client_context, identity, body, timeout_ms=None):
        self.request_id = request_id
        self.deadline_ms = deadline_ms
        self.timeout_ms = timeout_ms
        self.arn = arn
        self.trace_id = trace_id
        self.client_context = client_context
        self.identity = identity
        self.body = body


class _ChannelBytes(object):
    """sys.stdout.buffer / sys.stderr.buffer on the channel: each write goes out as 'O' frames at once."""

    MAX_FRAME = 64 * 1024

    def __init__(self, stream_id, fd):
        self._id = stream_id
        self._fd = fd

    def write(self, data):
        data = bytes(data)
        try:
            for at in range(0, len(data), self.MAX_FRAME):
                write_frame("O", {"s": self._id}, data[at:at + self.MAX_FRAME])
        except OSError:
            os.write(self._fd, data)  # the channel is gone (the platform is shutting down): the pipe is all there is
        return len(data)

    def flush(self):
        pass

    def fileno(self):
        return self._fd


class _ChannelText(object):
    """sys.stdout / sys.stderr when invocations travel on the channel: what the function prints
    reaches the platform in order with its answers, so every line lands in the invocation that
    printed it, also when the platform has sent the next invocation ahead. (Child processes and
    writes to fds 1 and 2 themselves still go to the pipes.)"""

    encoding = "utf-8"
    errors = "backslashreplace"
    newlines = None

    def __init__(self, stream_id, original):
        self._original = original
        self.buffer = _ChannelBytes(stream_id, original.fileno())

    def write(self, text):
        self.buffer.write(text.encode("utf-8", "backslashreplace"))
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._original.fileno()

    def __getattr__(self, name):
        return getattr(self._original, name)


def route_stdio_through_channel():
    sys.stdout = _ChannelText(1, sys.__stdout__)
    sys.stderr = _ChannelText(2, sys.__stderr__)


class ChannelClient(object):
    """The Runtime API on the channel. The loop asks for the next invocation right after each
    answer, so answers carry the 'N'. Invocations the platform sends ahead (while another runs, with
    {timeout} instead of {deadline}) wait here; the runtime says which one it begins: with the answer
    before it ({nx}) or, for one that arrived after that answer, with a 'B' frame; until then the
    platform may withdraw it ('W', answered 'K')."""

    NEXT = b"N 0 {}\n"

    def __init__(self, in_fd):
        self.in_fd = in_fd
        self.buffer = b""
        self.next_sent = False
        self.queued = []
        self.begins_next = None
        self.specialise = None

    def _fill(self, block):
        """Reads what the platform sent; without `block`, only what is there already."""
        if not block:
            import select

            if not select.select([self.in_fd], [], [], 0)[0]:
                return
        chunk = os.read(self.in_fd, 65536)
        if not chunk:
            os._exit(0)  # the platform went away
        self.buffer += chunk
        self._parse()

    def _parse(self):
        while True:
            newline = self.buffer.find(b"\n")
            if newline == -1:
                return
            frame_type, length, meta = self.buffer[:newline].decode("utf-8").split(" ", 2)
            end = newline + 1 + int(length)
            if len(self.buffer) < end:
                return
            body = self.buffer[newline + 1:end]
            self.buffer = self.buffer[end:]
            meta = json.loads(meta)
            if frame_type == "S":
                self.specialise = meta
            elif frame_type == "W":
                waiting = [inv for inv in self.queued if inv.request_id == meta.get("id")]
                if waiting:
                    self.queued.remove(waiting[0])
                    write_frame("K", {"id": meta.get("id")})
            elif frame_type == "V":
                self.queued.append(self._invocation(meta, body))

    @staticmethod
    def _invocation(meta, body):
        return Invocation(
            meta.get("id"), int(meta.get("deadline") or 0), meta.get("arn"), meta.get("trace"), meta.get("cc"), meta.get("identity"), body,
            timeout_ms=meta.get("timeout"),
        )

    @staticmethod
    def _started(inv):
        if inv.timeout_ms is not None:
            # Sent ahead: the deadline counts from now, when it begins, as the platform's timer does.
            inv.deadline_ms = int(time.time() * 1000) + int(inv.timeout_ms)
        return inv

    def await_specialise(self):
        """A cell: tells the platform it is ready, then waits for the specialise frame's metadata."""
        write_frame("N", {"cell": True})
        while self.specialise is None:
            self._fill(True)
        return self.specialise

    def next(self):
        if not self.next_sent:
            write_frame("N", {})
        self.next_sent = False
        announced, self.begins_next = self.begins_next, None
        if announced is not None:
            return self._started(announced)
        while not self.queued:
            self._fill(True)
        inv = self.queued.pop(0)
        if inv.timeout_ms is not None:
            write_frame("B", {"id": inv.request_id})
        return self._started(inv)

    def _answer_meta(self, meta):
        meta["rss"] = peak_rss()
        if self.begins_next is None:
            self._fill(False)
            if self.queued:
                self.begins_next = self.queued.pop(0)
        if self.begins_next is not None:
            meta["nx"] = self.begins_next.request_id
        return meta

    def response(self, request_id, body):
        write_frame("R", self._answer_meta({"id": request_id}), body, self.NEXT)
        self.next_sent = True

    def error(self, request_id, result):
        meta = self._answer_meta({"id": request_id, "type": result["errorType"]})
        write_frame("E", meta, json.dumps(result).encode("utf-8"), self.NEXT)
        self.next_sent = True

    def init_error(self, result):
        write_frame("I", {"type": result["errorType"]}, json.dumps(result).encode("utf-8"))
