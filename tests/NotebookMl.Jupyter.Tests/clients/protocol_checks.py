#!/usr/bin/python3
"""Jupyter messaging-protocol (5.3+) checks that drive any installed kernel
through the real jupyter_client library.

    /usr/bin/python3 protocol_checks.py --kernel NAME --language csharp|python SCENARIO|all

Every scenario starts its own kernel (jupyter_client.manager.start_new_kernel),
talks to it only through jupyter_client, and always shuts it down.  Exit code 0
when the scenario(s) pass; otherwise 1, with one paragraph per failed scenario
on stderr: the scenario, what was expected and the messages that arrived.

Run it with Debian's interpreter (/usr/bin/python3), which has
python3-jupyter-client; the kernelspec is found through the normal Jupyter
paths (set JUPYTER_PATH to add a directory holding kernels/NAME/kernel.json).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import zmq

# Looking up the "python3" kernelspec imports ipykernel -> debugpy in *this* process,
# which prints a frozen-modules warning to stderr; keep stderr for our report only.
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

from jupyter_client.manager import start_new_kernel  # noqa: E402
from jupyter_client.session import Session  # noqa: E402

REPLY_TIMEOUT = 30.0  # default wait for any reply / idle status
STARTUP_TIMEOUT = 60.0
MIN_PROTOCOL = (5, 3)
HEADER_KEYS = ("msg_id", "msg_type", "session", "username", "date", "version")

# Code snippets per language.  The checks are identical for every language.
LANG: dict[str, dict[str, Any]] = {
    "csharp": {
        "result": ("1 + 2", "3"),
        "second_cell": "2 + 3",
        "stdout": ('Console.WriteLine("hello");', "hello"),
        "stderr": ('Console.Error.WriteLine("oops");', "oops"),
        "live": 'Console.WriteLine("a"); await Task.Delay(3000); Console.WriteLine("b");',
        "display": 'var h = display("first"); h.Update("second");',
        "error": ('throw new InvalidOperationException("boom");', "InvalidOperationException", "boom"),
        "ok_cell": "var afterError = 1;",
        "state": ("var x = 41;", "x + 1", "42"),
        "before_loop": ("var before = 7;", "before * 6", "42"),
        "tight_loop": "while (true) { }",
        "input": ('var name = Console.ReadLine(); Console.WriteLine("hi " + name);', "hi world"),
        "complete": ("Console.Wri", "WriteLine"),
        "inspect": ("Console.WriteLine", len("Console.Write"), "WriteLine"),
        "incomplete": "if (true) {",
        "complete_code": "var a = 1;",
        "history": ("var h1 = 1;", "var h2 = 2;"),
        "forged": 'Console.WriteLine("FORGED");',
        "html": ('HTML("<b>bold</b>")', '<b>bold</b>'),
        "display_mime": ('display("<i>raw</i>", "text/html"); display("# Title", "text/markdown");', [("text/html", "<i>raw</i>"), ("text/markdown", "# Title")]),
        "compile_errors": ("int a = \"x\";\nint b = \"y\";", ["(1,9)", "(2,9)"]),
    },
    "python": {
        "result": ("1 + 2", "3"),
        "second_cell": "2 + 3",
        "stdout": ('print("hello")', "hello"),
        "stderr": ('import sys; print("oops", file=sys.stderr)', "oops"),
        "live": 'import time\nprint("a")\ntime.sleep(3)\nprint("b")',
        "display": (
            "from IPython.display import display\n"
            'h = display("first", display_id=True)\n'
            'h.update("second")'
        ),
        "error": ('raise ValueError("boom")', "ValueError", "boom"),
        "ok_cell": "after_error = 1",
        "state": ("x = 41", "x + 1", "42"),
        "before_loop": ("before = 7", "before * 6", "42"),
        "tight_loop": "while True: pass",
        "input": ('name = input()\nprint("hi " + name)', "hi world"),
        "complete": ("prin", "print"),
        "inspect": ("print", 3, "print"),
        "incomplete": "if True:",
        "complete_code": "a = 1",
        "history": ("h1 = 1", "h2 = 2"),
        "forged": 'print("FORGED")',
        "html": ('from IPython.display import HTML\nHTML("<b>bold</b>")', '<b>bold</b>'),
        "display_mime": ('from IPython.display import display\ndisplay({"text/html": "<i>raw</i>"}, raw=True)\ndisplay({"text/markdown": "# Title"}, raw=True)', [("text/html", "<i>raw</i>"), ("text/markdown", "# Title")]),
    },
}


# --------------------------------------------------------------------------
# Failure reporting
# --------------------------------------------------------------------------


class CheckFailed(Exception):
    """A protocol expectation was not met."""

    def __init__(self, expected: str, arrived: str):
        super().__init__(f"expected {expected}; arrived: {arrived}")
        self.expected = expected
        self.arrived = arrived


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _clean(value: Any) -> Any:
    """Drop ANSI colours and shorten tracebacks so reports stay readable."""
    if isinstance(value, str):
        return ANSI_ESCAPE.sub("", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: (f"<{len(v)} lines>" if k == "traceback" and isinstance(v, list) else _clean(v))
                for k, v in value.items()}
    return value


def _short(value: Any, limit: int = 240) -> str:
    text = json.dumps(_clean(value), default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class Received:
    """One message as it arrived on a client channel."""

    t: float  # time.monotonic() when it was read
    channel: str
    msg: dict

    @property
    def msg_type(self) -> str:
        return self.msg["header"].get("msg_type", "?")

    @property
    def parent_id(self) -> str | None:
        return (self.msg.get("parent_header") or {}).get("msg_id")

    @property
    def content(self) -> dict:
        return self.msg.get("content") or {}

    def describe(self) -> str:
        return f"{self.channel}:{self.msg_type}(parent={str(self.parent_id)[:8]}, content={_short(self.content)})"


def describe_all(records: list[Received], limit: int = 12) -> str:
    if not records:
        return "nothing"
    shown = records[-limit:]
    prefix = f"[{len(records) - limit} earlier omitted] " if len(records) > limit else ""
    return prefix + "; ".join(r.describe() for r in shown)


# --------------------------------------------------------------------------
# Talking to the kernel
# --------------------------------------------------------------------------


@dataclass
class Exchange:
    """A request, its reply and the iopub messages it caused."""

    msg_id: str
    reply: Received
    iopub: list[Received] = field(default_factory=list)

    def of_type(self, msg_type: str) -> list[Received]:
        return [r for r in self.iopub if r.msg_type == msg_type]

    def everything(self) -> list[Received]:
        return sorted([*self.iopub, self.reply], key=lambda r: r.t)


class Wire:
    """Reads every client channel, timestamps what arrives and keeps it all.

    Waits are predicates over the recorded messages, so messages for other
    requests (e.g. extra kernel_info replies left over from wait_for_ready)
    are never lost or confused with ours.
    """

    CHANNELS = ("iopub", "shell", "control", "stdin")

    def __init__(self, km, kc):
        self.km = km
        self.kc = kc
        self.log: list[Received] = []

    # -- receiving ---------------------------------------------------------

    def pump(self, idle_sleep: float = 0.01) -> None:
        got = False
        for channel in self.CHANNELS:
            get = getattr(self.kc, f"get_{channel}_msg")
            while True:
                try:
                    msg = get(timeout=0)
                except queue.Empty:
                    break
                self.log.append(Received(time.monotonic(), channel, msg))
                got = True
        if not got:
            time.sleep(idle_sleep)

    def wait_for(self, pred: Callable[[Received], bool], timeout: float, expected: str,
                 context: Callable[[], list[Received]] | None = None) -> Received:
        deadline = time.monotonic() + timeout
        while True:
            for rec in self.log:
                if pred(rec):
                    return rec
            if time.monotonic() > deadline:
                shown = context() if context else self.log
                raise CheckFailed(f"{expected} within {timeout:g} s", describe_all(shown))
            if not self.km.is_alive():
                self.pump()  # collect whatever was sent before it died
                for rec in self.log:
                    if pred(rec):
                        return rec
                shown = context() if context else self.log
                raise CheckFailed(expected, "the kernel process died; messages: " + describe_all(shown))
            self.pump()

    def for_parent(self, msg_id: str, channel: str | None = None) -> list[Received]:
        return [r for r in self.log if r.parent_id == msg_id and (channel is None or r.channel == channel)]

    # -- sending -----------------------------------------------------------

    def send(self, channel: str, msg_type: str, content: dict) -> dict:
        msg = self.kc.session.msg(msg_type, content)
        getattr(self.kc, f"{channel}_channel").send(msg)
        return msg

    def request(self, msg_type: str, content: dict, channel: str = "shell",
                timeout: float = REPLY_TIMEOUT, busy_idle: bool = True) -> Exchange:
        """Send a request, wait for its reply (and for iopub idle), check framing."""
        msg = self.send(channel, msg_type, content)
        return self.collect(msg, channel, timeout=timeout, busy_idle=busy_idle)

    def collect(self, request: dict, channel: str = "shell", timeout: float = REPLY_TIMEOUT,
                busy_idle: bool = True) -> Exchange:
        msg_id = request["header"]["msg_id"]
        reply_type = request["header"]["msg_type"].replace("_request", "_reply")
        context = lambda: self.for_parent(msg_id) or self.log  # noqa: E731
        reply = self.wait_for(
            lambda r: r.channel == channel and r.parent_id == msg_id,
            timeout, f"the {reply_type} on {channel} with parent_header.msg_id = the request's", context)
        if busy_idle:
            self.wait_idle(msg_id, timeout)
        ex = Exchange(msg_id, reply, self.for_parent(msg_id, "iopub"))
        check_reply(reply, request, reply_type)
        if busy_idle:
            check_busy_idle(ex, request["header"]["msg_type"])
        for rec in ex.iopub:
            check_header(rec)
        return ex

    def wait_idle(self, msg_id: str, timeout: float = REPLY_TIMEOUT) -> Received:
        return self.wait_for(
            lambda r: r.channel == "iopub" and r.parent_id == msg_id and r.msg_type == "status"
            and r.content.get("execution_state") == "idle",
            timeout, "iopub status 'idle' whose parent is the request",
            lambda: self.for_parent(msg_id) or self.log)

    def execute(self, code: str, allow_stdin: bool = False, store_history: bool = True) -> dict:
        content = {"code": code, "silent": False, "store_history": store_history,
                   "user_expressions": {}, "allow_stdin": allow_stdin, "stop_on_error": True}
        return self.send("shell", "execute_request", content)

    def run(self, code: str, expect_status: str = "ok", timeout: float = REPLY_TIMEOUT) -> Exchange:
        ex = self.collect(self.execute(code), timeout=timeout)
        status = ex.reply.content.get("status")
        if status != expect_status:
            raise CheckFailed(f"execute_reply status '{expect_status}' for code {code!r}",
                              describe_all(ex.everything()))
        return ex


# --------------------------------------------------------------------------
# Generic checks
# --------------------------------------------------------------------------


def check_header(rec: Received) -> None:
    header = rec.msg.get("header") or {}
    missing = [k for k in HEADER_KEYS if k not in header or (k != "username" and not header[k])]
    if missing:
        raise CheckFailed(f"{rec.channel} message header with {', '.join(HEADER_KEYS)}",
                          f"header {_short(header)} lacks {missing}")
    if header["msg_type"] != rec.msg.get("msg_type"):
        raise CheckFailed("header.msg_type equal to the message type", _short(header))
    if not str(header["version"]).startswith("5."):
        raise CheckFailed("header.version '5.x'", _short(header))


def check_reply(reply: Received, request: dict, reply_type: str) -> None:
    check_header(reply)
    if reply.msg_type != reply_type:
        raise CheckFailed(f"header.msg_type '{reply_type}' on the reply", reply.describe())
    parent = reply.msg.get("parent_header") or {}
    req = request["header"]
    for key in ("msg_id", "msg_type", "session"):
        if parent.get(key) != req[key]:
            raise CheckFailed(f"reply parent_header.{key} == request header {key} {req[key]!r}",
                              f"parent_header {_short(parent)}")
    if "status" not in reply.content:
        raise CheckFailed(f"a 'status' field in {reply_type} content", reply.describe())


def check_busy_idle(ex: Exchange, request_type: str) -> None:
    statuses = ex.of_type("status")
    states = [r.content.get("execution_state") for r in statuses]
    first, last = (ex.iopub[0], ex.iopub[-1]) if ex.iopub else (None, None)
    ok = (first is not None and first.msg_type == "status" and states[0] == "busy"
          and last.msg_type == "status" and states[-1] == "idle" and states.count("idle") == 1)
    if not ok:
        raise CheckFailed(
            f"iopub for the {request_type} to start with status 'busy' and end with one status 'idle' "
            "(both with parent_header = the request)", describe_all(ex.iopub))


def expect(condition: bool, expected: str, arrived: list[Received] | str) -> None:
    if not condition:
        raise CheckFailed(expected, arrived if isinstance(arrived, str) else describe_all(arrived))


def text_plain(rec: Received) -> str:
    return str((rec.content.get("data") or {}).get("text/plain", ""))


def stream_text(ex: Exchange, name: str) -> str:
    return "".join(r.content.get("text", "") for r in ex.of_type("stream") if r.content.get("name") == name)


def version_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in str(text).split("."))
    except ValueError:
        return (0,)


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------


def scenario_kernel_info(w: Wire, lang: dict) -> None:
    ex = w.request("kernel_info_request", {})
    c = ex.reply.content
    expect(c.get("status") == "ok", "kernel_info_reply status 'ok'", [ex.reply])
    expect(version_tuple(c.get("protocol_version", "")) >= MIN_PROTOCOL,
           "protocol_version >= 5.3", [ex.reply])
    expect(bool(c.get("implementation")), "a non-empty 'implementation'", [ex.reply])
    info = c.get("language_info") or {}
    expect(bool(info.get("name")) and bool(info.get("file_extension")),
           "language_info.name and language_info.file_extension", [ex.reply])


def scenario_execute_result(w: Wire, lang: dict) -> None:
    code, want = lang["result"]
    ex = w.run(code)
    inputs, results = ex.of_type("execute_input"), ex.of_type("execute_result")
    expect(len(inputs) == 1 and inputs[0].content.get("code") == code
           and isinstance(inputs[0].content.get("execution_count"), int),
           "one execute_input echoing the code with an integer execution_count", ex.iopub)
    expect(len(results) == 1 and text_plain(results[0]) == want,
           f"one execute_result with data text/plain {want!r}", ex.iopub)
    count = ex.reply.content.get("execution_count")
    expect(results[0].content.get("execution_count") == inputs[0].content["execution_count"] == count,
           "the same execution_count on execute_input, execute_result and execute_reply", ex.everything())
    ex2 = w.run(lang["second_cell"])
    count2 = ex2.reply.content.get("execution_count")
    expect(isinstance(count2, int) and count2 == count + 1,
           f"execution_count {count + 1} for the next cell", [ex2.reply])


def scenario_stream(w: Wire, lang: dict) -> None:
    for name in ("stdout", "stderr"):
        code, text = lang[name]
        ex = w.run(code)
        expect(text in stream_text(ex, name),
               f"a stream message name '{name}' containing {text!r}", ex.iopub)


def scenario_stream_live(w: Wire, lang: dict) -> str:
    ex = w.collect(w.execute(lang["live"]))
    streams = [r for r in ex.of_type("stream") if r.content.get("name") == "stdout"]
    expect(bool(streams) and "a" in streams[0].content.get("text", "")
           and "b" in stream_text(ex, "stdout"), "stdout streams with 'a' and then 'b'", ex.iopub)
    lead = ex.reply.t - streams[0].t
    expect(lead >= 1.5, "the first stdout stream at least 1.5 s before the execute_reply (live output)",
           f"it came {lead:.2f} s before the reply; " + describe_all(ex.everything()))
    return f"first stdout {lead:.2f} s before execute_reply"


def scenario_display_update(w: Wire, lang: dict) -> None:
    ex = w.run(lang["display"])
    shown = ex.of_type("display_data")
    expect(bool(shown) and "first" in text_plain(shown[0])
           and bool((shown[0].content.get("transient") or {}).get("display_id")),
           "display_data with text/plain containing 'first' and transient.display_id", ex.iopub)
    display_id = shown[0].content["transient"]["display_id"]
    updates = [r for r in ex.of_type("update_display_data") if r.t >= shown[0].t]
    expect(bool(updates) and (updates[0].content.get("transient") or {}).get("display_id") == display_id
           and "second" in text_plain(updates[0]),
           f"update_display_data after it with transient.display_id {display_id!r} and 'second'", ex.iopub)


def scenario_error(w: Wire, lang: dict) -> None:
    code, ename, evalue = lang["error"]
    ex = w.run(code, expect_status="error")
    errors = ex.of_type("error")
    expect(len(errors) == 1, "one iopub 'error' message", ex.iopub)
    e = errors[0].content
    tb = e.get("traceback")
    expect(ename in str(e.get("ename")) and e.get("evalue") == evalue
           and isinstance(tb, list) and all(isinstance(x, str) for x in tb),
           f"error ename containing {ename!r}, evalue {evalue!r}, traceback a list of strings", errors)
    r = ex.reply.content
    expect(r.get("ename") == e.get("ename"), "execute_reply ename equal to the iopub error's", [ex.reply])
    w.run(lang["ok_cell"])


def scenario_aborted(w: Wire, lang: dict) -> None:
    code, _, _ = lang["error"]
    failing = w.execute(code)
    queued = w.execute(lang["ok_cell"])
    w.collect(failing)
    ex = w.collect(queued)
    r = ex.reply.content
    expect(r.get("status") == "aborted" and "execution_count" not in r,
           "execute_reply {'status': 'aborted'} with no execution_count for a cell queued behind a failed one (ipykernel's)", [ex.reply])
    expect(not ex.of_type("execute_input") and not ex.of_type("execute_result"), "no execute_input or result for the aborted cell", ex.iopub)
    w.run(lang["ok_cell"])


def scenario_html(w: Wire, lang: dict) -> None:
    code, want = lang["html"]
    ex = w.run(code)
    shown = [r.content.get("data", {}).get("text/html") for r in ex.iopub if r.msg_type in ("execute_result", "display_data")]
    expect(want in shown, f"an output whose text/html is exactly {want!r}", ex.iopub)


def scenario_display_mime(w: Wire, lang: dict) -> None:
    code, wants = lang["display_mime"]
    ex = w.run(code)
    datas = [r.content.get("data", {}) for r in ex.of_type("display_data")]
    for mime, value in wants:
        expect(any(d.get(mime) == value for d in datas), f"a display_data whose {mime} is exactly {value!r} (raw, not escaped)", ex.iopub)


def scenario_compile_errors(w: Wire, lang: dict) -> None:
    code, positions = lang["compile_errors"]
    ex = w.run(code, expect_status="error")
    e = ex.of_type("error")[0].content
    traceback = "\n".join(e.get("traceback", []))
    where = [traceback.find(p) for p in positions]
    expect(all(i >= 0 for i in where) and where == sorted(where), f"every compile error in source order {positions} in the traceback", ex.of_type("error"))
    expect(all(p in e.get("evalue", "") for p in positions), f"the error value naming every error {positions}", ex.of_type("error"))


def scenario_state(w: Wire, lang: dict) -> None:
    define, use, want = lang["state"]
    w.run(define)
    ex = w.run(use)
    results = ex.of_type("execute_result")
    expect(bool(results) and text_plain(results[0]) == want,
           f"execute_result {want!r} from a variable defined in the previous cell", ex.iopub)


def scenario_complete(w: Wire, lang: dict) -> None:
    code, name = lang["complete"]
    ex = w.request("complete_request", {"code": code, "cursor_pos": len(code)})
    c = ex.reply.content
    matches = c.get("matches")
    expect(c.get("status") == "ok" and isinstance(matches, list) and any(name in str(m) for m in matches),
           f"complete_reply status ok with a match containing {name!r}", [ex.reply])
    start, end = c.get("cursor_start"), c.get("cursor_end")
    expect(isinstance(start, int) and isinstance(end, int) and end == len(code) and 0 <= start <= end,
           f"cursor_end == {len(code)} and 0 <= cursor_start <= cursor_end", [ex.reply])


def scenario_inspect(w: Wire, lang: dict) -> None:
    code, pos, name = lang["inspect"]
    ex = w.request("inspect_request", {"code": code, "cursor_pos": pos, "detail_level": 0})
    c = ex.reply.content
    text = str((c.get("data") or {}).get("text/plain", ""))
    expect(c.get("status") == "ok" and c.get("found") is True and name in text,
           f"inspect_reply status ok, found true, data text/plain mentioning {name!r}", [ex.reply])


def scenario_is_complete(w: Wire, lang: dict) -> None:
    for code, want in ((lang["incomplete"], "incomplete"), (lang["complete_code"], "complete")):
        ex = w.request("is_complete_request", {"code": code})
        c = ex.reply.content
        expect(c.get("status") == want, f"is_complete_reply status {want!r} for {code!r}", [ex.reply])
        if "indent" in c:
            expect(isinstance(c["indent"], str), "indent, when present, a string", [ex.reply])


def scenario_history(w: Wire, lang: dict) -> None:
    codes = lang["history"]
    for code in codes:
        w.run(code)
    ex = w.request("history_request", {"hist_access_type": "tail", "n": 10, "output": False, "raw": True})
    c = ex.reply.content
    hist = c.get("history")
    shape_ok = isinstance(hist, list) and all(
        isinstance(h, list) and len(h) == 3 and isinstance(h[0], int) and isinstance(h[1], int)
        and isinstance(h[2], str) for h in hist)
    expect(c.get("status") == "ok" and shape_ok,
           "history_reply status ok, history a list of [session:int, line_number:int, input:str]", [ex.reply])
    inputs = [h[2] for h in hist]
    expect(all(code in inputs for code in codes), f"history containing the inputs {list(codes)}", [ex.reply])


def scenario_comm_info(w: Wire, lang: dict) -> None:
    ex = w.request("comm_info_request", {})
    c = ex.reply.content
    expect(c.get("status") == "ok" and isinstance(c.get("comms"), dict),
           "comm_info_reply status ok with a 'comms' dict", [ex.reply])


def _interrupt(w: Wire, lang: dict, do_interrupt: Callable[[], None]) -> str:
    define, use, want = lang["before_loop"]
    w.run(define)
    request = w.execute(lang["tight_loop"])
    msg_id = request["header"]["msg_id"]
    w.wait_for(lambda r: r.parent_id == msg_id and r.msg_type == "execute_input", REPLY_TIMEOUT,
               "execute_input for the tight-loop cell", lambda: w.for_parent(msg_id))
    time.sleep(1.0)
    w.pump()
    early = [r for r in w.for_parent(msg_id) if r.channel == "shell"]
    expect(not early, "the tight loop still running 1 s after execute_input", early)
    sent = time.monotonic()
    do_interrupt()
    ex = w.collect(request, timeout=10.0)
    took = ex.reply.t - sent
    status = ex.reply.content.get("status")
    expect(status in ("error", "aborted"),
           "execute_reply status 'error' (or 'aborted') within 10 s of the interrupt", [ex.reply])
    ex = w.run(use)
    results = ex.of_type("execute_result")
    expect(bool(results) and text_plain(results[0]) == want,
           f"state from before the loop still there ({use!r} -> {want!r})", ex.iopub)
    return f"execute_reply '{status}' {took:.2f} s after the interrupt"


def scenario_interrupt_message(w: Wire, lang: dict) -> str:
    # KernelManager.interrupt_kernel: interrupt_mode "message" -> interrupt_request on
    # the manager's own control socket (its reply is never read); else SIGINT.
    mode = w.km.kernel_spec.interrupt_mode
    return f"interrupt_mode={mode}; " + _interrupt(w, lang, w.km.interrupt_kernel)


def scenario_interrupt_signal(w: Wire, lang: dict) -> str:
    # Same path jupyter_client takes for interrupt_mode "signal": SIGINT to the
    # kernel's process group (falls back to the process itself).
    return _interrupt(w, lang, lambda: w.km.signal_kernel(signal.SIGINT))


def scenario_stdin(w: Wire, lang: dict) -> None:
    code, text = lang["input"]
    request = w.execute(code, allow_stdin=True)
    msg_id = request["header"]["msg_id"]
    asked = w.wait_for(lambda r: r.channel in ("stdin", "shell") and r.parent_id == msg_id, REPLY_TIMEOUT,
                       "an input_request on the stdin channel with parent = the execute_request",
                       lambda: w.for_parent(msg_id))
    expect(asked.channel == "stdin", "an input_request on the stdin channel before the execute_reply",
           w.for_parent(msg_id))
    check_header(asked)
    c = asked.content
    expect(asked.msg_type == "input_request" and isinstance(c.get("prompt"), str)
           and c.get("password") is False,
           "input_request with a string 'prompt' and password false", [asked])
    w.kc.input("world")  # input_reply {"value": "world"} on stdin; jupyter_client sets no parent_header
    ex = w.collect(request)
    expect(ex.reply.content.get("status") == "ok", "execute_reply status 'ok'", [ex.reply])
    expect(text in stream_text(ex, "stdout"), f"stdout stream containing {text!r}", ex.iopub)


def scenario_forged_signature(w: Wire, lang: dict) -> None:
    forger = Session(key=b"wrong", session=w.kc.session.session, username=w.kc.session.username)
    content = {"code": lang["forged"], "silent": False, "store_history": True,
               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
    forged = forger.msg("execute_request", content)
    forger.send(w.kc.shell_channel.socket, forged)
    forged_id = forged["header"]["msg_id"]
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        w.pump(0.05)
    seen = w.for_parent(forged_id)
    leaked = [r for r in w.log if r not in seen and "FORGED" in json.dumps(r.content, default=str)]
    expect(not seen and not leaked,
           "no reaction at all (no execute_input/stream/reply) to an execute_request signed with a wrong key",
           seen + leaked)
    w.run(lang["ok_cell"])


def _wait_exit(w: Wire, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while w.km.is_alive():
        if time.monotonic() > deadline:
            raise CheckFailed(f"the kernel process to exit within {timeout:g} s of the shutdown_reply",
                              "it is still running")
        time.sleep(0.1)


def _shutdown(w: Wire, channel: str) -> None:
    ex = w.request("shutdown_request", {"restart": False}, channel=channel, busy_idle=False)
    c = ex.reply.content
    expect(c.get("status") == "ok" and c.get("restart") is False,
           f"shutdown_reply on {channel} with status ok and restart false", [ex.reply])
    _wait_exit(w)


def scenario_shutdown_control(w: Wire, lang: dict) -> None:
    _shutdown(w, "control")


def scenario_shutdown_shell(w: Wire, lang: dict) -> None:
    _shutdown(w, "shell")


def scenario_heartbeat(w: Wire, lang: dict) -> None:
    info = w.km.get_connection_info()
    sep = ":" if info["transport"] == "tcp" else "-"
    url = f"{info['transport']}://{info['ip']}{sep}{info['hb_port']}"
    ctx = zmq.Context()
    sock = ctx.socket(zmq.REQ)
    sock.linger = 0
    try:
        sock.connect(url)
        for _ in range(3):
            ping = b"ping-" + uuid.uuid4().hex.encode()
            sock.send(ping)
            if not sock.poll(5000):
                raise CheckFailed(f"the heartbeat at {url} to echo {ping!r} within 5 s", "no answer")
            pong = sock.recv()
            expect(pong == ping, f"the heartbeat to echo {ping!r} byte for byte", f"{pong!r}")
    finally:
        sock.close()
        ctx.term()
    time.sleep(2.5)  # let the client's HBChannel complete a couple of 1 s cycles
    expect(w.kc.hb_channel.is_beating(), "KernelClient.hb_channel.is_beating() true", "false")


# A scenario raises CheckFailed on failure; it may return a short note for the PASS line.
SCENARIOS: dict[str, Callable[[Wire, dict], str | None]] = {
    "kernel_info": scenario_kernel_info,
    "execute_result": scenario_execute_result,
    "stream": scenario_stream,
    "stream_live": scenario_stream_live,
    "display_update": scenario_display_update,
    "error": scenario_error,
    "aborted": scenario_aborted,
    "html": scenario_html,
    "display_mime": scenario_display_mime,
    "compile_errors": scenario_compile_errors,
    "state": scenario_state,
    "complete": scenario_complete,
    "inspect": scenario_inspect,
    "is_complete": scenario_is_complete,
    "history": scenario_history,
    "comm_info": scenario_comm_info,
    "interrupt_message": scenario_interrupt_message,
    "interrupt_signal": scenario_interrupt_signal,
    "stdin": scenario_stdin,
    "forged_signature": scenario_forged_signature,
    "shutdown_control": scenario_shutdown_control,
    "shutdown_shell": scenario_shutdown_shell,
    "heartbeat": scenario_heartbeat,
}


# --------------------------------------------------------------------------
# Runner
# --------------------------------------------------------------------------


def _kernel_log_tail(log_file, limit: int = 600) -> str:
    try:
        log_file.flush()
        log_file.seek(0)
        text = log_file.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return ""
    text = " ".join(text.split())
    return text[-limit:]


def _stop_kernel(km, kc) -> None:
    try:
        kc.stop_channels()
    except Exception:  # noqa: BLE001 - best effort cleanup
        pass
    try:
        km.shutdown_kernel(now=not km.is_alive())
    except Exception:  # noqa: BLE001
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001
            pass


def run_scenario(name: str, kernel: str, lang: dict, verbose: bool) -> tuple[str | None, str]:
    """Run one scenario on a fresh kernel.

    Returns (None, note) on success, else (failure text, tail of the kernel's own output).
    """
    log_file = None if verbose else tempfile.TemporaryFile()
    redirect = {} if verbose else {"stdout": log_file, "stderr": subprocess.STDOUT}
    km = kc = None
    problem = note = None
    try:
        try:
            km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=STARTUP_TIMEOUT, **redirect)
        except Exception as exc:  # noqa: BLE001
            raise CheckFailed(f"kernel {kernel!r} to start and answer kernel_info within {STARTUP_TIMEOUT:g} s",
                              f"{type(exc).__name__}: {exc}") from exc
        note = SCENARIOS[name](Wire(km, kc), lang)
    except CheckFailed as exc:
        problem = f"expected {exc.expected}; arrived: {exc.arrived}"
    except Exception as exc:  # noqa: BLE001 - report harness/client errors the same way
        where = traceback.extract_tb(exc.__traceback__)[-1]
        problem = (f"expected the scenario to run without errors; arrived: {type(exc).__name__}: {exc} "
                   f"(at {where.name}:{where.lineno})")
    finally:
        if km is not None:
            _stop_kernel(km, kc)
    if problem is None:
        detail = note or ""
    else:
        detail = _kernel_log_tail(log_file) if log_file is not None else ""
    if log_file is not None:
        log_file.close()
    return problem, detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Jupyter messaging protocol checks for any kernel.")
    parser.add_argument("--kernel", required=True, help="kernelspec name (found via JUPYTER_PATH etc.)")
    parser.add_argument("--language", required=True, choices=sorted(LANG))
    parser.add_argument("--verbose", action="store_true", help="let the kernel's own stdout/stderr through")
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    args = parser.parse_args(argv)

    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    failures = 0
    started = time.monotonic()
    for name in names:
        t0 = time.monotonic()
        problem, detail = run_scenario(name, args.kernel, LANG[args.language], args.verbose)
        took = time.monotonic() - t0
        if problem is None:
            print(f"PASS {name} ({took:.2f} s){': ' + detail if detail else ''}", flush=True)
            continue
        print(f"FAIL {name} ({took:.2f} s)", flush=True)
        kernel_output = detail
        failures += 1
        paragraph = f"Scenario {name} (kernel {args.kernel}, {args.language}) failed: {' '.join(problem.split())}"
        if kernel_output:
            paragraph += f" Kernel output tail: {kernel_output}"
        print(paragraph + "\n", file=sys.stderr, flush=True)
    if len(names) > 1:
        print(f"{len(names) - failures}/{len(names)} scenarios passed in {time.monotonic() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
