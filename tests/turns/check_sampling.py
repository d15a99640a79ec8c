#!/usr/bin/env python3
"""turns' sampling against a deliberately simple Python reference of the same hash, and its invariance:

  --rate P          the turns whose rank < P * 2^64, in input order
  --per-instance K  the K turns of lowest rank of each instance
  --sample N        the N turns of lowest rank; the same records (their source aside) from one file,
                    from shards named in any order, and from shards concatenated on standard input

The rank of assistant turn t of a trajectory is XXH3-64(f"{id}\\x1f{XXH3-64(line, 0):016x}\\x1f{t}", seed),
computed here with the system's libxxhash (ctypes), not with prefline's code.
Usage: check_sampling.py --bin BUILD/bin
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_xxh3():
    name = ctypes.util.find_library("xxhash") or "libxxhash.so.0"
    lib = ctypes.CDLL(name)
    lib.XXH3_64bits_withSeed.restype = ctypes.c_uint64
    lib.XXH3_64bits_withSeed.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]
    return lambda data, seed: lib.XXH3_64bits_withSeed(data, len(data), seed)


def reference_turns(path, xxh3, seed):
    """[(rank, instance, line, turn)] of every assistant turn with at least one message before it."""
    turns = []
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip(b"\n")
            record = json.loads(line)
            whole = xxh3(line, 0)
            turn = 0
            for index, message in enumerate(record["messages"]):
                if message["role"] != "assistant":
                    continue
                turn += 1
                if index < 1:
                    continue
                key = f"{record['instance_id']}\x1f{whole:016x}\x1f{turn}".encode()
                turns.append((xxh3(key, seed), record["instance_id"], number, turn))
    return turns


def run(binary, args, stdin=None):
    done = subprocess.run([binary, "-q", *args], input=stdin, capture_output=True, check=True)
    return done.stdout.decode().splitlines()


def sources(lines):
    return [(json.loads(l)["source"]["line"], json.loads(l)["source"]["turn"]) for l in lines]


def without_source(lines):
    out = []
    for l in lines:
        r = json.loads(l)
        del r["source"]
        out.append(json.dumps(r, sort_keys=False))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    args = parser.parse_args()
    binary = os.path.join(args.bin, "turns")
    xxh3 = load_xxh3()
    failures = 0

    def check(name, ok, detail=""):
        nonlocal failures
        print(("ok    " if ok else "FAIL  ") + name + ("" if ok else f": {detail}"))
        failures += not ok

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "make_trajectories.py"), "--out", tmp, "--instances", "30",
                        "--rollouts", "6", "--seed", "11"], check=True)
        whole = os.path.join(tmp, "messages.jsonl")
        seed = 3
        ref = reference_turns(whole, xxh3, seed)

        # --rate: the same turns as the reference, in input order.
        rate = 0.2
        expected = [(line, turn) for rank, _, line, turn in ref if rank < int(rate * 2**64)]
        got = sources(run(binary, ["--rate", str(rate), "--seed", str(seed), whole]))
        check(f"--rate {rate}: {len(got)} turns as the reference", got == expected, f"{got[:5]} vs {expected[:5]}")

        # --per-instance: the K of lowest rank per instance.
        k = 2
        by_instance = {}
        for item in sorted(ref):
            by_instance.setdefault(item[1], []).append(item)
        expected = sorted((line, turn) for items in by_instance.values() for _, _, line, turn in items[:k])
        got = sorted(sources(run(binary, ["--per-instance", str(k), "--seed", str(seed), whole])))
        check(f"--per-instance {k}: {len(got)} turns as the reference", got == expected)

        # --sample: the reference's bottom N, whatever the sharding and order.
        n = 25
        expected = [(line, turn) for _, _, line, turn in sorted(ref)[:n]]
        one = run(binary, ["--sample", str(n), "--seed", str(seed), whole])
        check(f"--sample {n}: the reference's bottom {n}, by rank", sources(one) == expected)
        with open(whole, "rb") as f:
            lines = f.readlines()
        rng = random.Random(5)
        shards = []
        for i in range(0, len(lines), 17):
            path = os.path.join(tmp, f"shard-{i:04d}.jsonl")
            with open(path, "wb") as f:
                f.writelines(lines[i:i + 17])
            shards.append(path)
        baseline = without_source(one)
        for attempt in range(3):
            order = shards[:]
            rng.shuffle(order)
            got = without_source(run(binary, ["--sample", str(n), "--seed", str(seed), *order]))
            check(f"--sample {n} from {len(order)} shards in order #{attempt + 1}", got == baseline)
            data = b"".join(open(p, "rb").read() for p in order)
            got = without_source(run(binary, ["--sample", str(n), "--seed", str(seed)], stdin=data))
            check(f"--sample {n} from the shards concatenated on stdin, order #{attempt + 1}", got == baseline)
        # --per-instance K with --sample N: the bottom N of the instances' bottom Ks, on a corpus large
        # enough for the records ranked out of reach to be swept while reading.
        big_dir = os.path.join(tmp, "big")
        subprocess.run([sys.executable, os.path.join(HERE, "make_trajectories.py"), "--out", big_dir, "--instances",
                        "500", "--rollouts", "30", "--seed", "13"], check=True)
        big = os.path.join(big_dir, "messages.jsonl")
        big_ref = reference_turns(big, xxh3, seed)
        by_instance = {}
        for item in sorted(big_ref):
            by_instance.setdefault(item[1], []).append(item)
        union = sorted(item for items in by_instance.values() for item in items[:3])
        expected = [(line, turn) for _, _, line, turn in union[:40]]
        got = sources(run(binary, ["--per-instance", "3", "--sample", "40", "--seed", str(seed), big]))
        check(f"--per-instance 3 --sample 40 over {len(big_ref)} turns: the bottom 40 of the bottom 3s", got == expected)

        shuffled = lines[:]
        rng.shuffle(shuffled)
        got = without_source(run(binary, ["--sample", str(n), "--seed", str(seed)], stdin=b"".join(shuffled)))
        check(f"--sample {n} from the lines shuffled", got == baseline)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
