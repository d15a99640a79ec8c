#!/usr/bin/env python3
"""label --tty driven through a pseudo-terminal: grade with the keys (Shift+digit
as '!@#$%', Alt+digit as ESC digit), notes, paging, kill -9 and resume at the
first ungraded item, quit; the grader's CSV compared with what the grades say;
escape sequences inside an answer reach the terminal only as inert text; an HTML
answer's index.html is served sandboxed and opened with xdg-open; --compare
votes record the side shown on the left; --keys remaps; the terminal is given
back (alternate screen left). Usage: terminal.py LABEL_BINARY"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
import urllib.request

LABEL = sys.argv[1]
ROWS, COLUMNS = 30, 110
EPOCH = "1748962380"  # 2025-06-03T14:53:00Z
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


LONG = "\n".join(f"long line {n:03d} MARK-m4" for n in range(1, 201))
CHART = "<!DOCTYPE html><html><body><svg id='drawn'></svg><!-- MARK-m3 --></body></html>"
INJECTION = "MARK-m2 before\x1b]0;PWNED\x07\x1b[2J\x1b[31mred\u009b2J after\ttab"
ITEMS = [
    {"challenge": "add", "model": "m1", "type": "code", "response": "MARK-m1\n```js\nexport const add = (a, b) => a + b;\n```"},
    {"challenge": "add", "model": "m2", "type": "code", "response": INJECTION},
    {"challenge": "chart", "model": "m3", "type": "visualization", "files": {"index.html": CHART, "data.csv": "x,y\n1,2\n"}},
    {"challenge": "chart", "model": "m4", "type": "visualization", "response": LONG},
]


class Tty:
    """label in a pseudo-terminal; `output` holds every byte it wrote."""

    def __init__(self, folder, arguments, env_extra=None):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, **(env_extra or {}))
        self.process = subprocess.Popen([LABEL, "--tty", *arguments], cwd=folder, env=env, stdin=slave, stdout=slave,
                                        stderr=subprocess.PIPE, start_new_session=True)
        os.close(slave)
        self.output = b""
        self.mark = 0

    def read_for(self, done, deadline):
        """Reads what label writes until done() holds, the deadline passes or the pty closes;
        returns done()."""
        while not done() and time.time() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk
        return done()

    def screen_whole(self):
        """A screen is one write, but a pty hands it over in pieces: the last screen is whole
        once it has ROWS lines, the last one ended by an erase-line."""
        last = self.output.rfind(b"\x1b[H")
        return last < 0 or (self.output.count(b"\r\n", last) >= ROWS - 1 and self.output.endswith(b"\x1b[K"))

    def read_until(self, pattern, what, seconds=10):
        """Waits until `pattern` (bytes regex) appears in what was written since the last key,
        then until the screen it is on is whole."""
        deadline = time.time() + seconds
        if self.read_for(lambda: re.search(pattern, self.output[self.mark:], re.S), deadline):
            self.read_for(self.screen_whole, deadline)
            return True
        check(False, f"waited for {what}: {pattern!r} in {self.screen()[-600:]!r}")
        return False

    def wait_screen(self, text, what, seconds=10):
        """Waits until the last screen drawn holds `text`."""
        check(self.read_for(lambda: text in self.screen(), time.time() + seconds), what)

    def key(self, data, expect, what):
        self.mark = len(self.output)
        os.write(self.master, data)
        return self.read_until(expect, what)

    def screen(self):
        """The last full screen drawn (from the last cursor-home), without escapes."""
        last = self.output.rfind(b"\x1b[H")
        text = self.output[last:].decode("utf-8", "replace")
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)

    def item(self):
        found = re.search(r"MARK-(m\d)", self.screen())
        return found.group(1) if found else None

    def wait(self, seconds=10):
        try:
            code = self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    break
                chunk = os.read(self.master, 65536)
                if not chunk:
                    break
                self.output += chunk
            except OSError:
                break
        os.close(self.master)
        return code


# The grade panel once each answer is graded.
PANELS = {"m1": "technical: 4   aesthetics: 3   notes: –", "m2": "technical: 0   aesthetics: 0   auto-fail",
          "m3": "technical: 5   aesthetics: 5   notes: axis labels, missing ", "m4": "technical: 2   aesthetics: 1   notes: –"}


def grade(tty, model):
    """The keys a grader types on each answer, and what each must show."""
    if model == "m1":
        tty.key(b"4", rb"technical: 4 .*saved", "4 on the first scale")
        tty.key(b"#", rb"aesthetics: 3", "Shift+3 (#) on the second scale")
    elif model == "m2":
        tty.key(b"0", rb"auto-fail", "0: auto-fail")
    elif model == "m3":
        tty.key(b"5", rb"technical: 5", "5")
        tty.key(b"\x1b5", rb"aesthetics: 5", "Alt+5 on the second scale")
        tty.key(b"n", rb"notes \(Enter saves\)", "n opens the notes")
        os.write(tty.master, "axis labels, missing é".encode())
        tty.key(b"\x7f\r", rb"notes: axis labels, missing ", "Enter saves the notes (Backspace took the é)")
    else:
        tty.key(b"2", rb"technical: 2", "2")
        tty.key(b"!", rb"aesthetics: 1", "Shift+1 (!)")


def rate(folder):
    opened = os.path.join(folder, "opened.txt")
    bin_folder = os.path.join(folder, "bin")
    os.mkdir(bin_folder)
    with open(os.path.join(bin_folder, "xdg-open"), "w") as script:
        script.write(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    os.chmod(os.path.join(bin_folder, "xdg-open"), 0o755)
    env = {"PATH": bin_folder + os.pathsep + os.environ["PATH"]}
    arguments = ["--rate", "items.jsonl", "--grader", "tess", "--out", "grades"]

    tty = Tty(folder, arguments, env)
    tty.read_until(rb"label \xc2\xb7 tess \xc2\xb7 1/4", "the first screen")
    check(b"\x1b[?1049h" in tty.output, "the alternate screen is used")
    seen = []
    for position in range(1, 3):
        model = tty.item()
        seen.append(model)
        grade(tty, model)
        tty.key(b"d", rf"tess \xc2\xb7 {position + 1}/4".encode(), "d: the next item")
    # kill -9 after two items: the journal has them; a restart resumes at the third.
    tty.process.kill()
    tty.wait()
    before_kill = tty.output
    check(not os.path.exists(os.path.join(folder, "grades", "tess.csv.tmp")), "no partial sheet left")

    tty = Tty(folder, arguments, env)
    tty.read_until(rb"tess \xc2\xb7 3/4", "the restart to resume at the first ungraded item")
    tty.key(b"a", rb"tess \xc2\xb7 2/4", "a: back")
    check(tty.item() == seen[1], "back shows the second item again")
    tty.wait_screen(PANELS[seen[1]], f"the grades of before the kill are shown ({seen[1]})")
    tty.key(b"\x1b[C", rb"tess \xc2\xb7 3/4", "the right arrow: next")
    for position in range(3, 5):
        model = tty.item()
        seen.append(model)
        if model == "m4":
            tty.key(b"\x1b[6~", rb"lines 26-50 of 20\d", "PgDn scrolls a page")
            check("long line 025" in tty.screen() and "long line 001" not in tty.screen(), "the next page of the answer")
            tty.key(b"\x1b[B", rb"lines 27-51", "the down arrow scrolls a line")
            tty.key(b"\x1b[H", rb"lines 1-25", "Home: the top")
        if model == "m3":
            url = re.search(r"http://127\.0\.0\.1:\d+/t//i/\d+/index\.html", tty.screen())
            check(url is not None, "the HTML answer's page address is shown")
            check("MARK-m3" in tty.screen() and "── index.html ──" in tty.screen(), "the HTML answer's source is shown")
            if url:
                with urllib.request.urlopen(url.group(0)) as response:
                    check(b"MARK-m3" in response.read(), "the page is served")
                    check("sandbox allow-scripts" in response.headers["Content-Security-Policy"], "sandboxed by CSP")
                tty.key(b"o", rb"opened in the browser", "o opens the page")
                with open(opened) as recorded:
                    check(recorded.read().strip() == url.group(0), "xdg-open got the page's address")
        grade(tty, model)
        tty.wait_screen(PANELS[model], f"the panel shows the grades of {model}")
        if position == 3:
            tty.key(b"d", rb"tess \xc2\xb7 4/4", "d: the next item")
    tty.key(b"?", rb"Keys.*Alt\+1", "? shows the key map")
    tty.key(b"x", rb"1-5 technical", "any key closes the map")
    tty.key(b"q", rb"\x1b\[\?1049l", "q quits and leaves the alternate screen")
    code = tty.wait()
    check(code == 0, f"exit 0 after q, got {code}")
    check(b"label: 4 of 4 items graded by tess in 'grades/tess.csv'" in tty.output, "the closing line")
    check(sorted(seen) == ["m1", "m2", "m3", "m4"], f"every item shown once: {seen}")

    # Nothing of the answer's escapes reached the terminal as a command.
    tty.output = before_kill + tty.output
    check(b"PWNED\x07" not in tty.output and b"\x1b]0;" not in tty.output, "no OSC title sequence passed through")
    check(b"\xc2\x9b" not in tty.output, "no C1 CSI passed through")
    check(b"\x1b[31m" not in tty.output, "no colour from the data")
    check(b"^[]0;PWNED^G^[[2J^[[31mred<9b>2J after    tab" in tty.output, "the escapes shown in caret notation")

    with open(os.path.join(folder, "grades", "tess.csv")) as sheet:
        rows = sheet.read()
    time_cell = "tess,2025-06-03T14:53:00.000Z"
    expected = {
        "m1": f"add,m1,code,pass,4,3,{time_cell},",
        "m2": f"add,m2,code,fail,0,0,{time_cell},",
        "m3": f"chart,m3,visualization,pass,5,5,{time_cell},\"axis labels, missing \"",
        "m4": f"chart,m4,visualization,pass,2,1,{time_cell},",
    }
    check(rows == "challenge,model,type,passFail,grade,aesthetics,reviewedBy,reviewedAt,notes\n" +
          "".join(expected[model] + "\n" for model in seen), f"the sheet, rows in grading order:\n{rows}")
    journal = open(os.path.join(folder, "grades", "tess.journal.jsonl")).read().splitlines()
    check(len(journal) == 8, f"one journal line per change: {len(journal)}")


def compare(folder):
    with open(os.path.join(folder, "pairs.jsonl"), "w") as out:
        for i in range(4):
            out.write(json.dumps({"id": i, "prompt": f"question {i}", "chosen": f"good answer {i}",
                                  "rejected": f"bad answer {i}"}) + "\n")
    with open(os.path.join(folder, "keys.json"), "w") as keys:
        json.dump({"next": ["KeyJ"], "back": ["KeyK"]}, keys)
    tty = Tty(folder, ["--compare", "pairs.jsonl", "--grader", "alice", "--out", "votes", "--criteria", "accuracy",
                       "--keys", "keys.json"])
    tty.read_until(rb"alice \xc2\xb7 1/4", "the compare screen")
    left_was_good = []
    for position in range(1, 5):
        screen = tty.screen()
        left = screen[screen.find("Left (1)"):screen.find("Right (3)")]
        left_was_good.append("good answer" in left)
        tty.key(b"1" if left_was_good[-1] else b"3", rb"accuracy: (left|right).*saved", "the accuracy vote")
        tty.key(b"2", rb"overall: equal", "the overall vote")
        if position < 4:
            tty.key(b"d", rb"d is not|saved|alice", "d is unbound after --keys")
            check(f"alice · {position}/4" in tty.screen(), "--keys replaced d: it no longer moves")
            tty.key(b"j", rf"alice \xc2\xb7 {position + 1}/4".encode(), "j: next (remapped)")
    tty.key(b"\x03", rb"\x1b\[\?1049l", "Ctrl+C quits")
    check(tty.wait() == 0, "exit 0 after Ctrl+C")
    with open(os.path.join(folder, "votes", "alice.votes.jsonl")) as lines:
        votes = [json.loads(line) for line in lines]
    check(len(votes) == 8, f"two votes per pair: {len(votes)}")
    accuracy = [vote for vote in votes if vote["criterion"] == "accuracy"]
    check(all(vote["winner"] == "a" for vote in accuracy), "the better answer (side a) won wherever it was shown")
    check(all(vote["winner"] == "tie" for vote in votes if vote["criterion"] == "overall"), "equal is a tie")
    check([vote["shown"] for vote in accuracy] == ["a" if good else "b" for good in left_was_good],
          "shown records the side on the left")
    check(0 < [vote["shown"] for vote in accuracy].count("b") < 4, "sides swapped on some pairs, not all")


def sigterm(folder):
    """SIGTERM gives the terminal back (raw mode off) before the process ends."""
    tty = Tty(folder, ["--rate", "items.jsonl", "--grader", "sam", "--out", "grades"])
    tty.read_until(rb"sam \xc2\xb7 1/4", "the first screen")
    tty.mark = len(tty.output)
    os.kill(tty.process.pid, signal.SIGTERM)
    tty.read_until(rb"\x1b\[\?1049l", "SIGTERM leaves the alternate screen")
    check(tty.wait() == -signal.SIGTERM, "ended by SIGTERM")


def main():
    with tempfile.TemporaryDirectory(prefix="prefline-label-tty-") as folder:
        with open(os.path.join(folder, "items.jsonl"), "w") as out:
            for item in ITEMS:
                out.write(json.dumps(item) + "\n")
        rate(folder)
        compare(folder)
        sigterm(folder)
    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        sys.exit(1)
    print("label tty test: all checks passed")


main()
