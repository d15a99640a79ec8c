#!/usr/bin/env python3
"""SIGINT and SIGTERM in the middle of a run leave no partial file and no temp
file behind, and every output file that existed before is left as it was.

For every tool and every kind of file it writes (-o, --rejects, --out-dir,
--dataset-dir, --summary, --stats, --html, --cache), the tool
reads standard input from a pipe that this test keeps open: it writes many MB
of good and bad records (so that the output and rejects buffers have been
flushed into their temp files at least once: the tool is mid-write), waits
until the temp files are there with data in them, sends the signal, and
checks that:
  - the tool died of that very signal (it re-raises it after cleaning up),
  - nothing was written to stderr,
  - the folder holds exactly what it held before the run, byte for byte
    (the old outputs are untouched; no new, partial or temp file), except
    for duel-judge's --cache, which may have gained complete replies only.
The last case kills duel-judge while it writes a 64 MB --cache entry
(DIR/KEY.txt.tmp.XXXXXX): that temp file must go too.

Usage: signals.py --bin DIR [--judge-server PATH] [--only NAME]
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import relib  # noqa: E402

MB = 1 << 20


def lines(make, start, count):
    return b"".join(make(i) for i in range(start, start + count))


def stream(head, good, bad, good_per_chunk, bad_per_chunk):
    """Endless chunks: head once, then good and bad lines interleaved."""
    yield head
    i = 0
    while True:
        yield lines(good, i, good_per_chunk) + bad * bad_per_chunk
        i += good_per_chunk


def old_files(**files):
    """A setup writing these files (name -> bytes) into the case folder."""
    def setup(folder):
        for name, data in files.items():
            path = os.path.join(folder, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    return setup


def is_verdict(text):
    try:
        return len(json.loads(text)) == 5
    except ValueError:
        return False


def case(name, argv, setup, chunks, full, present=(), max_mb=200, judge=None, cache=None, whole=is_verdict):
    """full: globs of temp files that must hold data before the signal;
    present: globs that must exist (grouping tools write their main output at
    the end, so its temp file is still empty while they read)."""
    return dict(name=name, argv=argv, setup=setup, chunks=chunks, full=full, present=present, max_mb=max_mb,
                judge=judge, cache=cache, whole=whole)


def cases():
    bad_csv = b"ragged,row\n"
    bad_json = relib.BAD_JSON_LINE
    old = b"OLD OUTPUT, must survive\n"
    return [
        case("csv2jsonl -o --rejects",
             ["csv2jsonl", "--skip-invalid", "--rejects", "rejects.csv", "-o", "out.jsonl"],
             old_files(**{"out.jsonl": old, "rejects.csv": old}),
             lambda: stream(relib.GRADES_HEADER, relib.grade_row, bad_csv, 5000, 50000),
             full=["out.jsonl.tmp.*", "rejects.csv.tmp.*"]),
        case("jsonl2csv -o --rejects",
             ["jsonl2csv", "--skip-invalid", "--rejects", "rejects.jsonl", "-o", "out.csv"],
             old_files(**{"out.csv": old}),
             lambda: stream(b"", relib.judged_record, bad_json, 5000, 20000),
             full=["out.csv.tmp.*", "rejects.jsonl.tmp.*"]),
        case("bucket --out-dir --force --stats --rejects",
             ["bucket", "--key", "prompt", "--ratios", "80,10,10", "--names", "train,validation,test",
              "--out-dir", "splits", "--force", "--stats", "summary.json", "--skip-invalid", "--rejects",
              "rejects.jsonl"],
             old_files(**{"splits/train.jsonl": old, "splits/validation.jsonl": old, "splits/test.jsonl": old,
                          "summary.json": b'{"old":true}\n'}),
             lambda: stream(b"", relib.pair_record, bad_json, 5000, 20000),
             full=["splits.tmp.*/train.jsonl.tmp.*", "rejects.jsonl.tmp.*"],
             present=["splits.tmp.*/validation.jsonl.tmp.*", "splits.tmp.*/test.jsonl.tmp.*"]),
        case("bucket -o",
             ["bucket", "--score", "duel.score", "--edges", "66,80", "--names", "defeat,refined,final",
              "-o", "judged.jsonl"],
             old_files(**{"judged.jsonl": old}),
             lambda: stream(b"", relib.judged_record, b"", 5000, 0),
             full=["judged.jsonl.tmp.*"]),
        case("export --dataset-dir --force --rejects",
             ["export", "--to", "trl", "--dataset-dir", "dataset", "--force", "--skip-invalid",
              "--rejects", "rejects.jsonl"],
             None,  # set up by a real export run (see main): --force only replaces a folder export wrote
             lambda: stream(b"", relib.pair_record, bad_json, 5000, 20000),
             full=["dataset.tmp.*/data/train.jsonl.tmp.*", "rejects.jsonl.tmp.*"],
             present=["dataset.tmp.*"]),
        case("export -o",
             ["export", "--to", "trl-chat", "-o", "train.jsonl"],
             old_files(**{"train.jsonl": old}),
             lambda: stream(b"", relib.pair_record, b"", 5000, 0),
             full=["train.jsonl.tmp.*"]),
        case("consensus -o --stats --rejects",
             ["consensus", "--stats", "agreement.json", "-o", "items.jsonl", "--skip-invalid",
              "--rejects", "rejects.jsonl"],
             old_files(**{"items.jsonl": old, "agreement.json": b'{"old":true}\n'}),
             lambda: stream(b"", relib.grade_record, bad_json, 2000, 20000),
             full=["rejects.jsonl.tmp.*"], present=["items.jsonl.tmp.*"]),
        case("pairup -o --stats --rejects",
             ["pairup", "--stats", "meta.json", "-o", "pairs.jsonl", "--skip-invalid", "--rejects", "rejects.jsonl"],
             old_files(**{"pairs.jsonl": old, "meta.json": b'{"old":true}\n'}),
             lambda: stream(b"", relib.item_record, bad_json, 2000, 20000),
             full=["rejects.jsonl.tmp.*"], present=["pairs.jsonl.tmp.*"]),
        case("report -o --html --rejects",
             ["report", "--kind", "judged", "--html", "report.html", "-o", "report.md", "--skip-invalid",
              "--rejects", "rejects.jsonl"],
             old_files(**{"report.md": old, "report.html": old}),
             lambda: stream(b"", relib.judged_record, bad_json, 2000, 20000),
             full=["rejects.jsonl.tmp.*"], present=["report.md.tmp.*", "report.html.tmp.*"]),
        case("balance -o --append-csv --rejects",
             ["balance", "--append-csv", "summary.csv", "-o", "mix.jsonl", "--skip-invalid", "--rejects",
              "rejects.jsonl"],
             None,  # set up by a real balance run (see main): the summary must have this run's header
             lambda: stream(b"", relib.candidate_record, bad_json, 2000, 20000),
             full=["rejects.jsonl.tmp.*"], present=["mix.jsonl.tmp.*"]),
        case("duel-judge -o --summary --cache --rejects",
             ["duel-judge", "--judge", "j=URL#judge-model", "--concurrency", "4", "--stats", "duel.json",
              "--cache", "cache", "-o", "judged.jsonl", "--skip-invalid", "--rejects", "rejects.jsonl"],
             old_files(**{"judged.jsonl": old, "duel.json": b'{"old":true}\n', "cache/keep.txt": b"not ours\n"}),
             # bad lines first (1.2 MB: the rejects file is flushed), then turns
             lambda: stream(bad_json * 60000, relib.turn_record, b"", 200, 0),
             full=["rejects.jsonl.tmp.*", "cache/[0-9a-f]*.txt"], present=["judged.jsonl.tmp.*"], max_mb=3,
             judge=["--latency-ms", "100"], cache="cache"),
    ]


# duel-judge writes each --cache entry to DIR/KEY.txt.tmp.XXXXXX and renames it; a
# signal during that write must not leave the temp file. A command judge with
# a 64 MB reply makes the write long enough to be hit every time.
BIG_REPLY_SIZE = 64000000 + len('{"correctness":1,"grounding":1,"progress":1,"protocol":1,"efficiency":1}\n')
BIG_REPLY_JUDGES = json.dumps([{"name": "big", "command": [
    "sh", "-c", "cat > /dev/null; head -c 64000000 /dev/zero | tr '\\0' x; "
    "echo '{\"correctness\":1,\"grounding\":1,\"progress\":1,\"protocol\":1,\"efficiency\":1}'"]}]).encode()


def cache_temp_case():
    def turns():
        yield relib.turn_record(0)
        while True:
            yield b""
            time.sleep(0.05)
    return case("duel-judge --cache, killed while a reply is stored",
                ["duel-judge", "--judges", "judges.json", "--orders", "ab", "--cache", "cache", "-o", "judged.jsonl"],
                old_files(**{"judges.json": BIG_REPLY_JUDGES, "cache/keep.txt": b"not ours\n"}), turns,
                full=["cache/*.txt.tmp.*"], present=["judged.jsonl.tmp.*"], max_mb=1, cache="cache",
                whole=lambda text: len(text) == BIG_REPLY_SIZE)


def matching(folder, pattern):
    """Paths under folder (relative) matching a glob whose parts may hold '*'."""
    return [path for path in relib.listing(folder) if fnmatch.fnmatch(path, pattern)]


def sizes(folder, patterns):
    return {pattern: [os.path.getsize(os.path.join(folder, p)) for p in matching(folder, pattern)
                      if os.path.isfile(os.path.join(folder, p))] for pattern in patterns}


def ready(folder, spec):
    if not all(any(size > 0 for size in found) for found in sizes(folder, spec["full"]).values()):
        return False
    return all(matching(folder, pattern) for pattern in spec["present"])


def feed(pipe, chunks, max_bytes, stop):
    """Writes chunks until max_bytes or stop; then keeps the pipe open."""
    written = 0
    try:
        for chunk in chunks:
            if stop.is_set() or written >= max_bytes:
                break
            pipe.write(chunk)
            pipe.flush()
            written += len(chunk)
    except (BrokenPipeError, ValueError, OSError):
        pass


def run_case(checker, spec, signal_number, folder, binaries, judge_server):
    label = f"{spec['name']}, {signal.Signals(signal_number).name}"
    before = relib.snapshot(folder)
    argv = [os.path.join(binaries, spec["argv"][0]), *spec["argv"][1:]]
    if spec["judge"] is not None:
        server = relib.JudgeServer(judge_server, *spec["judge"]).__enter__()
        argv = [arg.replace("URL", server.url) for arg in argv]
    else:
        server = None
    try:
        with open(os.path.join(folder, "..", "stderr"), "wb") as stderr:
            process = subprocess.Popen(argv, cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=stderr)
            stop = threading.Event()
            writer = threading.Thread(target=feed, args=(process.stdin, spec["chunks"](), spec["max_mb"] * MB, stop))
            writer.start()
            started = time.monotonic()
            is_ready = relib.wait_for(lambda: ready(folder, spec) or process.poll() is not None, 30)
            waited = time.monotonic() - started
            mid_write = process.poll() is None and ready(folder, spec)
            if not checker.check(f"{label}: killed mid-write (temp files with data present)", True, mid_write):
                print(f"    temp files: {sizes(folder, spec['full'] + spec['present'])}, ready={is_ready}, "
                      f"exit={process.poll()}")
            during = sorted(relib.temp_entries(folder))
            process.send_signal(signal_number)
            stop.set()
            try:
                status = process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                status = process.wait()
            writer.join()
            try:
                process.stdin.close()
            except OSError:
                pass
        with open(os.path.join(folder, "..", "stderr"), "rb") as f:
            err = f.read().decode(errors="replace")
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    checker.check(f"{label}: died of the signal", -signal_number, status)
    checker.check(f"{label}: nothing on stderr", "", err)
    after = relib.snapshot(folder)
    cache = spec["cache"]
    added = {path: digest for path, digest in after.items() if path not in before}
    if cache is not None:
        # Complete cache entries may appear (that is what lets a rerun resume);
        # each must be a whole reply: the judge's one-line JSON verdict.
        entries = [path for path in added
                   if path.startswith(cache + "/") and re.fullmatch(r"[0-9a-f]{32}\.txt", os.path.basename(path))]
        whole = 0
        for path in entries:
            with open(os.path.join(folder, path), "rb") as f:
                text = f.read()
            whole += spec["whole"](text)
        checker.check(f"{label}: the cache holds whole replies only ({len(entries)} new)", len(entries), whole)
        for path in entries:
            del added[path]
            del after[path]
    checker.check(f"{label}: no file added (no partial output, no temp file)", {}, added)
    changed = sorted(path for path in before if before[path] != after.get(path))
    checker.check(f"{label}: the files there before are untouched", [], changed)
    print(f"    ({len(during)} temp entries at the kill, after {waited:.2f} s)")


def setup_by_running(folder, binaries, argv, data):
    """Creates the case's old outputs by a real, successful run of the tool."""
    result = subprocess.run([os.path.join(binaries, argv[0]), *argv[1:]], cwd=folder, input=data,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if result.returncode != 0:
        raise RuntimeError(f"setup run {argv} failed: {result.stderr.decode()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--judge-server")
    parser.add_argument("--only")
    args = parser.parse_args()
    judge_server = args.judge_server or os.path.join(args.bin, "judge_server")
    checker = relib.Checker()
    work = tempfile.mkdtemp(prefix="prefline-signals.")
    try:
        for spec in [*cases(), cache_temp_case()]:
            if args.only and args.only not in spec["name"]:
                continue
            for signal_number in (signal.SIGINT, signal.SIGTERM):
                base = os.path.join(work, f"{spec['argv'][0]}-{len(os.listdir(work))}")
                folder = os.path.join(base, "case")
                os.makedirs(folder)
                if spec["setup"] is not None:
                    spec["setup"](folder)
                elif spec["argv"][0] == "export":
                    setup_by_running(folder, args.bin, ["export", "--to", "trl", "--dataset-dir", "dataset"],
                                     lines(relib.pair_record, 0, 10))
                elif spec["argv"][0] == "balance":
                    setup_by_running(folder, args.bin, ["balance", "--append-csv", "summary.csv", "-o", "mix.jsonl"],
                                     lines(relib.candidate_record, 0, 30))
                run_case(checker, spec, signal_number, folder, args.bin, judge_server)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checker.done()


if __name__ == "__main__":
    sys.exit(main())
