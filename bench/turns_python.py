#!/usr/bin/env python3
"""The cut of `turns --rate P` / `turns --sample N` as a plain Python script (bench/turns.sh's comparison):
json.loads each trajectory, rank each assistant turn by XXH3 (libxxhash through ctypes, as turns does),
and write {instance_id, source, messages, reference} for the turns kept.
Usage: turns_python.py (--rate P | --sample N) FILE
"""
import ctypes
import ctypes.util
import heapq
import json
import sys

lib = ctypes.CDLL(ctypes.util.find_library("xxhash") or "libxxhash.so.0")
lib.XXH3_64bits_withSeed.restype = ctypes.c_uint64
lib.XXH3_64bits_withSeed.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]


def xxh3(data, seed=0):
    return lib.XXH3_64bits_withSeed(data, len(data), seed)


def main():
    mode, value, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    threshold = int(value * 2**64) if mode == "--rate" else None
    heap = []  # (-rank, record) of the N lowest ranks
    out = sys.stdout
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip(b"\n")
            record = json.loads(line)
            whole = xxh3(line)
            messages = record["messages"]
            turn = 0
            for index, message in enumerate(messages):
                if message["role"] != "assistant":
                    continue
                turn += 1
                if index < 1:
                    continue
                rank = xxh3(f"{record['instance_id']}\x1f{whole:016x}\x1f{turn}".encode())
                if threshold is not None and rank >= threshold:
                    continue
                if threshold is None and len(heap) >= value and -heap[0][0] < rank:
                    continue
                text = json.dumps({"instance_id": record["instance_id"],
                                   "source": {"file": path, "line": number, "turn": turn},
                                   "messages": messages[:index], "reference": message},
                                  ensure_ascii=False, separators=(",", ":"))
                if threshold is not None:
                    out.write(text + "\n")
                else:
                    heapq.heappush(heap, (-rank, text))
                    if len(heap) > value:
                        heapq.heappop(heap)
    for _, text in sorted(heap, reverse=True):
        out.write(text + "\n")


if __name__ == "__main__":
    main()
