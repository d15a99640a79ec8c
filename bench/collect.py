#!/usr/bin/env python3
"""Collect the figures of one benchmark run into one JSON file (bench/results.json).

Usage: bench/collect.py --records FILE [--duel-log FILE] [--bin DIR] [--settings JSON] -o OUTPUT

--records   the JSON Lines the bench/*.sh scripts append to $BENCH_RESULTS: measurements (with
            "tool") and targets (with "target"), and the run's steps ("step": wall and cpu s)
--duel-log  the standard output of bench/duel.sh, whose figures are read from its report lines
            (it writes no JSON); a report line that is not found is an error
--bin       the directory of the binaries measured: its ../CMakeCache.txt gives the build type
            and compiler
--settings  a JSON object of the run's settings (rows, runs, ...) copied into the output
Writes {"generated_at", "machine", "settings", "measurements", "targets", "steps"} to OUTPUT
(atomically). Python stdlib only.
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys

DUEL_PATTERNS = {
    "http": re.compile(r"^\s+([\d.]+) calls/s of the Little's-law bound ([\d.]+) calls/s = ([\d.]+) %; "
                       r"server saw at most (\d+) in flight; peak RSS ([\d.]+) MiB$"),
    "http_input": re.compile(r"^over HTTP: (\S+) \((\d+) turns, 1 call each\), judge_server latency (\d+) ms, "
                             r"--concurrency (\d+)$"),
    "aggregate_input": re.compile(r"^aggregate-only: (\S+) \((\d+) turns, ([\d.]+) MB, (\d+) bytes a turn\)$"),
    "aggregate": re.compile(r"^\s+([\d.]+) s = (\d+) turns/s = (\d+) MB/s \(cat > /dev/null: ([\d.]+) s = (\d+) MB/s\); "
                            r"peak RSS ([\d.]+) MiB$"),
    "runs": re.compile(r"^duel-judge benchmark, (\d+) runs each"),
    "target": re.compile(r"^target (.+): (\S+(?: %)?) (PASS|MISS)$"),
}


def command_output(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(bin_dir):
    info = {"cpu": "", "cores": os.cpu_count(), "memory_gib": None, "kernel": platform.release(), "os": ""}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            info["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        with open("/etc/os-release", encoding="utf-8") as f:
            info["os"] = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line).get(
                "PRETTY_NAME", "").strip('"')
    except OSError:
        pass
    cache = os.path.join(bin_dir, "..", "CMakeCache.txt") if bin_dir else ""
    if cache and os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            values = dict(re.findall(r"^(CMAKE_BUILD_TYPE|CMAKE_CXX_COMPILER):[A-Z]*=(.*)$", f.read(), re.M))
        info["build_type"] = values.get("CMAKE_BUILD_TYPE", "")
        compiler = values.get("CMAKE_CXX_COMPILER", "")
        if compiler:
            info["compiler"] = command_output([compiler, "--version"]).split("\n")[0]
    peers = {
        "mlr": (["mlr", "--version"], None),
        "csvjson": (["csvjson", "--version"], None),
        "jq": (["jq", "--version"], None),
        "pandas": (["/usr/bin/python3", "-c", "import pandas; print('pandas', pandas.__version__)"], None),
    }
    info["peers"] = {name: command_output(command) for name, (command, _) in peers.items()}
    return info


def parse_duel(text):
    """Measurements and targets from bench/duel.sh's report."""
    found = {}
    targets = []
    for line in text.splitlines():
        for name, pattern in DUEL_PATTERNS.items():
            match = pattern.match(line)
            if not match:
                continue
            if name == "target":
                targets.append({"bench": "duel", "target": match[1], "measured": match[2], "result": match[3]})
            else:
                found[name] = match.groups()
    missing = [name for name in DUEL_PATTERNS if name != "target" and name not in found]
    if missing or len(targets) != 2:
        raise ValueError(f"bench/duel.sh output not recognised: no line for {', '.join(missing) or 'the 2 targets'}")
    runs = int(found["runs"][0])
    rate, bound, percent, in_flight, rss = found["http"]
    http_input, turns, latency, concurrency = found["http_input"]
    aggregate_input, aggregate_turns, megabytes, _ = found["aggregate_input"]
    seconds, turns_per_s, mb_per_s, cat_seconds, cat_mb_per_s, aggregate_rss = found["aggregate"]
    measurements = [
        {"bench": "duel", "tool": "duel-judge-http", "input": os.path.basename(http_input), "rows": int(turns),
         "runs": runs, "calls_per_s": float(rate), "bound_calls_per_s": float(bound),
         "percent_of_bound": float(percent), "max_in_flight": int(in_flight), "rss_mib": float(rss),
         "latency_ms": int(latency), "concurrency": int(concurrency)},
        {"bench": "duel", "tool": "duel-judge", "input": os.path.basename(aggregate_input),
         "rows": int(aggregate_turns), "bytes": round(float(megabytes) * 1e6), "runs": runs,
         "median_s": float(seconds), "records_per_s": int(turns_per_s), "mb_per_s": float(mb_per_s),
         "rss_mib": float(aggregate_rss)},
        {"bench": "duel", "tool": "cat", "command": "cat FILE > /dev/null", "input": os.path.basename(aggregate_input),
         "rows": int(aggregate_turns), "bytes": round(float(megabytes) * 1e6), "runs": runs,
         "median_s": float(cat_seconds), "mb_per_s": float(cat_mb_per_s)},
    ]
    return measurements, targets


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", required=True)
    parser.add_argument("--duel-log")
    parser.add_argument("--bin", default="")
    parser.add_argument("--settings", default="{}")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    measurements, targets, steps = [], [], []
    with open(args.records, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            try:
                record = json.loads(line)
            except ValueError as error:
                sys.exit(f"bench/collect.py: {args.records}:{number}: {error}")
            if "target" in record:
                targets.append(record)
            elif "step" in record:
                steps.append(record)
            elif "tool" in record:
                measurements.append(record)
            else:
                sys.exit(f"bench/collect.py: {args.records}:{number}: neither a measurement, a target nor a step")
    if args.duel_log:
        with open(args.duel_log, encoding="utf-8") as f:
            try:
                duel_measurements, duel_targets = parse_duel(f.read())
            except ValueError as error:
                sys.exit(f"bench/collect.py: {args.duel_log}: {error}")
        measurements += duel_measurements
        targets += duel_targets

    result = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(args.bin),
        "settings": json.loads(args.settings),
        "measurements": measurements,
        "targets": targets,
        "steps": steps,
    }
    temporary = args.output + ".tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        json.dump(result, out, ensure_ascii=False, indent=1)
        out.write("\n")
    os.replace(temporary, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
