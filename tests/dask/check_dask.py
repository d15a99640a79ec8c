#!/usr/bin/env python3
"""Tests of scripts/prefline-dask against the single-process pipeline (stdlib only).

Usage: check_dask.py --bin BUILD/bin --data DIR MODE
  setup   generate the input (2 grader CSV files, 210 000 grades, 20 000 items of 870 challenges,
          ~1 % of the notes with a line break inside quotes) and a responses file in DIR, and the
          single-process references: csv2jsonl A B | consensus ARGS [| pairup ARGS]
  pairs   --local 2, 10 shards: stdout, stderr and exit status equal the reference pipeline's
  items   --local 2, --stage items, 5 partitions, -o FILE: FILE equals the reference items
  kill    --local 2, 20 shards: one worker process is killed (SIGKILL) while it runs a shard;
          the output still equals the reference
  errors  a cluster started here, used through --scheduler: bad rows and records give the
          single-process messages with whole-input line numbers and leave no -o file;
          --calibrate (one partition) and a glob input; usage errors
  turns   (its own data, in DIR/turns) --local 2 --stage turns over 2 trajectory files cut into
          1 MiB shards: --rate, --sample N and --dedup-prefix --sample N write the bytes and the
          summary line of one turns process; turns --merge-sample over per-shard samples taken in a
          shuffled order, too; a bad line is reported as one process reports it; refused options
Exit 77 (skipped) when /usr/bin/python3 (or $PREFLINE_DASK_PYTHON, to try the skip) cannot import
dask.distributed. Large outputs are removed after a passing check.
"""

import argparse
import csv
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "prefline-dask"
DASK_PYTHON = os.environ.get("PREFLINE_DASK_PYTHON", "/usr/bin/python3")
EPOCH = "1750000000"
CONSENSUS_ARGS = ["--keep", "type,notes", "--duplicates", "first", "--min-votes", "3", "--max-sd", "1.2"]
PAIRUP_ARGS = ["--strategy", "all-pairs", "--min-margin", "0.5", "--responses", "responses.jsonl"]
sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, str(ROOT / "bench"))
from gen_grades import MODELS  # noqa: E402  the model names of the generated grades

failures = []


def check(what, actual, expected):
    if actual == expected:
        print(f"ok: {what}")
        return
    failures.append(what)
    def show(value):
        if isinstance(value, bytes) and len(value) > 300:
            lines = value.count(b"\n")
            return f"{len(value)} bytes, {lines} lines, starting {value[:200]!r}"
        return repr(value)
    print(f"FAIL: {what}\n  expected: {show(expected)}\n  actual:   {show(actual)}")


def env_with(bin_dir):
    env = dict(os.environ)
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", SOURCE_DATE_EPOCH=EPOCH, LC_ALL="C.UTF-8")
    return env


def pipeline(bin_dir, stages, cwd):
    """Runs stages as a shell-free pipe; returns (stdout, stderr of all, exit statuses)."""
    env = env_with(bin_dir)
    procs = []
    previous = None
    for stage in stages:
        proc = subprocess.Popen([str(Path(bin_dir) / stage[0])] + stage[1:], stdin=previous or subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
        if previous:
            previous.close()
        previous = proc.stdout
        procs.append(proc)
    out = procs[-1].stdout.read()
    errs = b"".join(p.stderr.read() for p in procs)
    return out, errs, [p.wait() for p in procs]


def dask_run(bin_dir, args, cwd, **popen):
    return subprocess.run([str(SCRIPT), "--bin", str(bin_dir)] + args, cwd=cwd, env=env_with(bin_dir),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=300, **popen)


# ---------------------------------------------------------------------------

def setup(bin_dir, data):
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    gen = ROOT / "bench" / "gen_grades.py"
    for name, rows, seed in (("a.csv", 150000, 1), ("b.csv", 60000, 2)):
        subprocess.run([sys.executable, str(gen), "--rows", str(rows), "--items", "20000", "--seed", str(seed),
                        "-o", str(data / name)], check=True)
    # Texts for the pairs: some missing, some empty, some equal to another model's (all three
    # ways a pair is dropped and counted).
    with open(data / "responses.jsonl", "w", encoding="utf-8") as out:
        for challenge in range(20000 // len(MODELS) + 1):
            for m, model in enumerate(MODELS):
                k = challenge * len(MODELS) + m
                if k % 101 == 0:
                    continue
                text = "" if k % 97 == 0 else f"answer of {model} to ch{challenge:04d}"
                if k % 89 == 0:
                    text = f"answer of {MODELS[0]} to ch{challenge:04d}"
                out.write(json.dumps({"challenge": f"ch{challenge:04d}", "model": model, "response": text}) + "\n")

    grades = ["csv2jsonl", "a.csv", "b.csv"]
    out, err, codes = pipeline(bin_dir, [grades, ["consensus"] + CONSENSUS_ARGS, ["pairup"] + PAIRUP_ARGS], data)
    assert codes == [0, 0, 0], (codes, err)
    (data / "ref.pairs").write_bytes(out)
    (data / "ref.pairs.stderr").write_bytes(err)
    out, err, codes = pipeline(bin_dir, [grades, ["consensus"] + CONSENSUS_ARGS], data)
    assert codes == [0, 0], (codes, err)
    (data / "ref.items").write_bytes(out)
    (data / "ref.items.stderr").write_bytes(err)
    pairs = (data / "ref.pairs").read_bytes().count(b"\n")
    items = out.count(b"\n")
    print(f"setup: 210000 grades, {items} items, {pairs} pairs, reference stderr: {err.decode() or '-'}")
    # The reference must exercise what the comparison is about.
    check("reference has pairs and dropped pairs", pairs > 50000 and b"dropped" in
          (data / "ref.pairs.stderr").read_bytes(), True)


def pairs_mode(bin_dir, data):
    start = time.monotonic()
    proc = dask_run(bin_dir, ["--local", "2", "--shard-size", "4M", "--consensus-args", " ".join(CONSENSUS_ARGS),
                              "a.csv", "b.csv", "--"] + PAIRUP_ARGS, data)
    print(f"prefline-dask --local 2: {time.monotonic() - start:.1f} s")
    check("exit status", proc.returncode, 0)
    check("pairs equal the single-process pipeline's, byte for byte", proc.stdout, (data / "ref.pairs").read_bytes())
    check("stderr (summed left-out and dropped-pairs lines) equals the pipeline's", proc.stderr,
          (data / "ref.pairs.stderr").read_bytes())


def items_mode(bin_dir, data):
    out = data / "items.out"
    out.unlink(missing_ok=True)
    proc = dask_run(bin_dir, ["--local", "2", "--shard-size", "4M", "--partitions", "5", "--stage", "items",
                              "--consensus-args", " ".join(CONSENSUS_ARGS), "-o", "items.out", "a.csv", "b.csv"], data)
    check("exit status", proc.returncode, 0)
    check("nothing on stdout; stderr (the summed line of items left out) equals consensus' own",
          (proc.stdout, proc.stderr), (b"", (data / "ref.items.stderr").read_bytes()))
    check("items equal consensus' own, byte for byte", out.read_bytes() if out.exists() else None,
          (data / "ref.items").read_bytes())
    if not failures:
        out.unlink()


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        if int(fields[1]) == pid:
            found.append((int(entry), stat[stat.index(b"(") + 1:stat.rindex(b")")].decode()))
    return found


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def kill_mode(bin_dir, data):
    args = [str(SCRIPT), "--bin", str(bin_dir), "--local", "2", "--shard-size", "2M",
            "--consensus-args", " ".join(CONSENSUS_ARGS), "a.csv", "b.csv", "--"] + PAIRUP_ARGS
    out_path, err_path = data / "kill.stdout", data / "kill.stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(args, cwd=data, env=env_with(bin_dir), stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        killed = None
        deadline = time.monotonic() + 120
        while killed is None and proc.poll() is None and time.monotonic() < deadline:
            for pid, _ in children(proc.pid):
                if "spawn_main" not in cmdline(pid):
                    continue  # not a worker process (the resource tracker)
                tools = [name for _, name in children(pid) if name in ("csv2jsonl", "consensus")]
                if tools and proc.poll() is None:
                    os.kill(pid, signal.SIGKILL)
                    killed = (pid, tools)
                    break
            time.sleep(0.02)
        running_after_kill = proc.poll() is None
        code = proc.wait(timeout=300)
    print(f"killed worker {killed and killed[0]} while it ran {killed and killed[1]}; "
          f"prefline-dask stderr: {err_path.read_text(errors='replace').strip() or '-'}")
    check("a worker process was killed while it ran a shard, before the run ended",
          killed is not None and running_after_kill, True)
    check("exit status", code, 0)
    check("pairs equal the single-process pipeline's after the kill", out_path.read_bytes(),
          (data / "ref.pairs").read_bytes())
    if not failures:
        out_path.unlink()


def errors_mode(bin_dir, data):
    work = data / "errors"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    # A bad row deep in the second file (a later 1 MiB shard), and a score outside the scale.
    lines = (data / "b.csv").read_bytes().split(b"\n")
    bad_row = lines.copy()
    bad_row[50000] += b",extra"  # file line 50001
    (work / "bad-row.csv").write_bytes(b"\n".join(bad_row))
    bad_score = lines.copy()
    cells = bad_score[40000].split(b",")
    cells[4] = b"9"
    bad_score[40000] = b",".join(cells)
    (work / "bad-score.csv").write_bytes(b"\n".join(bad_score))
    shutil.copy(data / "b.csv", work / "b.csv")

    cluster = subprocess.Popen(
        [DASK_PYTHON, "-c", "import logging, sys\n"
         "from distributed import LocalCluster\n"
         "c = LocalCluster(n_workers=2, threads_per_worker=1, host='127.0.0.1', dashboard_address=None,"
         " silence_logs=logging.ERROR, scheduler_kwargs={'dashboard': False, 'dashboard_address': '127.0.0.1:0'})\n"
         "print(c.scheduler_address, flush=True)\n"
         "sys.stdin.read()\n"
         "c.close()\n"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        address = cluster.stdout.readline().strip()
        check("test cluster started", address.startswith("tcp://127.0.0.1:"), True)
        on = ["--scheduler", address, "--shard-size", "1M"]

        for name, stage in (("bad-row.csv", "csv2jsonl"), ("bad-score.csv", "consensus")):
            _, expected, codes = pipeline(bin_dir, [["csv2jsonl", "b.csv", name], ["consensus"]], work)
            proc = dask_run(bin_dir, on + ["-o", "out.jsonl", "b.csv", name], work)
            check(f"{name}: exit status 1", proc.returncode, 1)
            check(f"{name}: the {stage} message of one process, with its line number", proc.stderr,
                  expected.splitlines(keepends=True)[0])
            check(f"{name}: no output file, no temporary file left", sorted(os.listdir(work)),
                  ["b.csv", "bad-row.csv", "bad-score.csv"])

        # pairup rejects an item (a string where --score wants a number): the message counts the
        # line in the whole item stream. Column 'by' is empty (null: no score, left out) except on
        # the rows of the items first seen after row 40000, where it is the string "x".
        with open(data / "b.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        first = {}
        for i, row in enumerate(rows[1:]):
            first.setdefault((row[0], row[1]), i)
        with open(work / "by.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(rows[0] + ["by"])
            writer.writerows(row + ["x" if first[(row[0], row[1])] >= 40000 else ""] for row in rows[1:])
        _, expected, codes = pipeline(bin_dir, [["csv2jsonl", "by.csv"], ["consensus", "--keep", "by"],
                                                ["pairup", "--score", "by"]], work)
        line = int(expected.split(b":")[2]) if expected.startswith(b"pairup: -:") else 0
        check("reference: pairup fails on an item after the 1000th", (codes[-1], line > 1000), (1, True))
        proc = dask_run(bin_dir, on + ["--consensus-args", "--keep by", "by.csv", "--", "--score", "by"], work)
        check("pairup item error: exit status 1", proc.returncode, 1)
        check("pairup item error: the message of one process, its line in the whole item stream", proc.stderr,
              expected)
        (work / "by.csv").unlink()

        # --calibrate needs every rater's values: one partition, the same bytes; a glob input.
        examples = ROOT / "examples" / "grades"
        args = ["--calibrate", "zscore", "--keep", "type"]
        expected, _, _ = pipeline(bin_dir, [["csv2jsonl"] + sorted(str(p) for p in examples.glob("*.csv")),
                                            ["consensus"] + args], work)
        proc = dask_run(bin_dir, on + ["--shard-size", "1K", "--stage", "items", "--consensus-args", " ".join(args),
                                       str(examples / "*.csv")], work)
        check("--calibrate zscore over a glob, cut into 1 KiB shards: exit status", proc.returncode, 0)
        check("--calibrate zscore: items equal consensus' own", proc.stdout, expected)
        check("--calibrate zscore: reference is not empty", expected.count(b"\n") > 10, True)

        # -o on a device writes in place: /dev/null stays the device (never renamed over).
        proc = dask_run(bin_dir, on + ["--stage", "items", "-o", "/dev/null", "b.csv"], work)
        _, expected, _ = pipeline(bin_dir, [["csv2jsonl", "b.csv"], ["consensus"]], work)
        check("-o /dev/null: exit status and stderr (consensus' line of items left out)",
              (proc.returncode, proc.stderr), (0, expected))
        check("-o /dev/null: still a character device", stat.S_ISCHR(os.stat("/dev/null").st_mode), True)
    finally:
        cluster.stdin.close()
        try:
            cluster.wait(timeout=30)
        except subprocess.TimeoutExpired:
            cluster.kill()

    # Usage and input errors: exit 2 (1 for input) before a cluster starts.
    for name in ("bad-row.csv", "bad-score.csv"):
        (work / name).unlink()
    usage = "\nTry 'prefline-dask --help' for more information.\n"
    cases = [
        (["b.csv"], 2, "prefline-dask: give exactly one of --local N and --scheduler ADDRESS" + usage),
        (["--local", "2", "--consensus-args", "--stats a.json", "b.csv"], 2,
         "prefline-dask: consensus option '--stats' is not supported: needs every item at once; run "
         "'consensus --merge --stats' on the partials instead" + usage),
        (["--local", "2", "b.csv", "--", "--group", "type"], 2,
         "prefline-dask: pairup --group 'type' must be one of consensus' --item fields (challenge,model): "
         "partitions hold whole groups and are cut by item key" + usage),
        (["--local", "2", "b.csv", "--", "--stats", "m.json"], 2,
         "prefline-dask: pairup option '--stats' is not supported: statistics are per run; run pairup --stats on "
         "the output's items instead" + usage),
        (["--local", "0", "b.csv"], 2, "prefline-dask: --local needs a whole number >= 1, not '0'" + usage),
        (["--local", "2", "--consensus-args", "--scale x", "b.csv"], 2, None),  # consensus' own message
        (["--local", "2", "missing.csv"], 1, "prefline-dask: cannot open 'missing.csv': No such file or directory\n"),
        (["--local", "2", "nothing-*.csv"], 1, "prefline-dask: no file matches 'nothing-*.csv'\n"),
        (["--local", "2", "-o", "no-such-folder/pairs.jsonl", "b.csv"], 1,
         "prefline-dask: cannot create 'no-such-folder/pairs.jsonl': No such file or directory\n"),
    ]
    _, scale_message, _ = pipeline(bin_dir, [["consensus", "--scale", "x"]], work)
    for args, code, message in cases:
        proc = dask_run(bin_dir, args, work)
        check(f"{' '.join(args)}: exit status {code}", proc.returncode, code)
        check(f"{' '.join(args)}: message", proc.stderr.decode(), message or scale_message.decode())


TURNS_CASES = [
    ["--rate", "0.05", "--keep", "repo", "--max-chars", "20000", "--turns", "2:"],
    ["--sample", "400", "--skip-if", "^line"],
    ["--dedup-prefix", "--sample", "300", "--seed", "7"],
]


def turns_mode(bin_dir, data):
    import random
    work = data / "turns"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    gen = ROOT / "bench" / "gen_trajectories.py"
    for name, megabytes, seed in (("a.jsonl", 9, 1), ("b.jsonl", 4, 2)):
        subprocess.run([sys.executable, str(gen), "--megabytes", str(megabytes), "--seed", str(seed),
                        "-o", str(work / name)], check=True)
    inputs = ["a.jsonl", "b.jsonl"]
    for args in TURNS_CASES:
        expected, expected_err, codes = pipeline(bin_dir, [["turns"] + args + inputs], work)
        check(f"reference turns {' '.join(args)}: exit 0 and turns written", (codes, expected.count(b"\n") > 100),
              ([0], True))
        start = time.monotonic()
        proc = dask_run(bin_dir, ["--local", "2", "--shard-size", "1M", "--stage", "turns",
                                  "--turns-args", " ".join(args)] + inputs, work)
        print(f"prefline-dask --stage turns --turns-args '{' '.join(args)}': {time.monotonic() - start:.1f} s, "
              f"{len(expected.splitlines())} turns")
        check(f"{' '.join(args)}: exit status", proc.returncode, 0)
        check(f"{' '.join(args)}: turn records equal one process's, byte for byte", proc.stdout, expected)
        check(f"{' '.join(args)}: stderr (the summed summary line) equals one process's", proc.stderr, expected_err)

    # The merge does not depend on the order the shards' samples come in: pieces of 40 lines,
    # each named and numbered as its file, sampled with their ranks, merged in a shuffled order.
    args = ["--sample", "400"]
    expected, _, _ = pipeline(bin_dir, [["turns", "-q"] + args + inputs], work)
    samples = []
    for name in inputs:
        lines = (work / name).read_bytes().splitlines(keepends=True)
        for first in range(0, len(lines), 40):
            piece = work / "piece.jsonl"
            piece.write_bytes(b"".join(lines[first:first + 40]))
            with open(piece, "rb") as f:
                out = subprocess.run([str(bin_dir / "turns"), "-q", "--stdin-name", name, "--first-line",
                                      str(first + 1), "--with-hash"] + args, stdin=f, capture_output=True, check=True)
            samples.append(out.stdout)
    random.Random(22).shuffle(samples)
    (work / "samples.jsonl").write_bytes(b"".join(samples))
    out, _, codes = pipeline(bin_dir, [["turns", "-q", "--merge-sample", "400", "samples.jsonl"]], work)
    check(f"--merge-sample 400 of {len(samples)} pieces' samples in a shuffled order equals --sample 400 on the "
          "whole input", (codes, out), ([0], expected))

    # A bad trajectory deep in the second file: one process's message, its line in its file.
    lines = (work / "b.jsonl").read_bytes().splitlines(keepends=True)
    lines[len(lines) // 2] = b'{"instance_id": "x", "messages": {}}\n'
    (work / "b.jsonl").write_bytes(b"".join(lines))
    _, expected_err, codes = pipeline(bin_dir, [["turns", "--rate", "0.05"] + inputs], work)
    proc = dask_run(bin_dir, ["--local", "2", "--shard-size", "1M", "--stage", "turns", "--turns-args",
                              "--rate 0.05", "-o", "out.jsonl"] + inputs, work)
    check("bad trajectory: exit status 1 and one process's message", (proc.returncode, proc.stderr),
          (1, expected_err))
    check("bad trajectory: reference names b.jsonl and its line", expected_err.startswith(b"turns: b.jsonl:"), True)
    check("bad trajectory: no output file", (work / "out.jsonl").exists(), False)

    usage = "\nTry 'prefline-dask --help' for more information.\n"
    for args, message in (
            (["--turns-args", "--per-instance 2"], "prefline-dask: turns option '--per-instance' is not supported: "
             "each instance's bottom K needs all its rollouts at once; run turns --per-instance in one process"),
            (["--turns-args", "--dedup-prefix"], "prefline-dask: turns option '--dedup-prefix' needs --sample N "
             "here: without a sample, the first of equal histories is kept, which needs the whole input in order")):
        proc = dask_run(bin_dir, ["--local", "2", "--stage", "turns"] + args + inputs, work)
        check(f"{' '.join(args)}: exit 2 and message", (proc.returncode, proc.stderr.decode()), (2, message + usage))
    if not failures:
        shutil.rmtree(work)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("mode", choices=["setup", "pairs", "items", "kill", "errors", "turns"])
    args = parser.parse_args()
    probe = subprocess.run([DASK_PYTHON, "-c", "import dask.distributed"], capture_output=True)
    if probe.returncode != 0:
        print(f"SKIP: {DASK_PYTHON} cannot import dask.distributed: install the Debian packages python3-dask and "
              "python3-distributed (scripts/install-deps does)")
        return 77
    bin_dir = Path(args.bin).resolve()
    data = Path(args.data).resolve()
    if args.mode not in ("setup", "turns") and not (data / "ref.pairs").exists():
        print(f"FAIL: no test data in {data}: run the setup mode (the dask/setup test) first")
        return 1
    {"setup": setup, "pairs": pairs_mode, "items": items_mode, "kill": kill_mode, "errors": errors_mode,
     "turns": turns_mode}[args.mode](bin_dir, data)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
