#!/usr/bin/env python3
"""Agent trajectories for bench/turns.sh: SWE-ZERO's layout ({instance_id, repo, messages: [{role, content}],
exit_status}), ~100 rollouts per instance, ~36 KB per rollout (112 B tokens / 12.3 M rollouts at ~4 bytes a
token), written until --megabytes MB or --rollouts rollouts (bench/scaling.sh counts records). The rollouts are
the same stream whichever limit ends it, so a file of N rollouts is the first N lines of any larger one.
Deterministic for the same arguments.
"""
import argparse
import json
import random

WORDS = ("the parser test file line loop bound fix error value return import module class function self "
         "assert patch diff commit branch error: Traceback (most recent call last) File src/app.py").split()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    limit = parser.add_mutually_exclusive_group(required=True)
    limit.add_argument("--megabytes", type=int)
    limit.add_argument("--rollouts", type=int)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # A pool of message texts, JSON-encoded once, assembled into rollouts.
    pool = [json.dumps(" ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 280))) + "\n```bash\nls\n```")
            for _ in range(512)]
    system = json.dumps("You are a software engineer fixing a bug in a repository.")
    limit = args.megabytes * 1_000_000 if args.megabytes is not None else None
    written = 0
    rollout = 0
    with open(args.output, "w", encoding="utf-8") as out:
        while written < limit if limit is not None else rollout < args.rollouts:
            instance = f"repo__name-{rollout // 100}"
            parts = [f'{{"role":"system","content":{system}}}',
                     f'{{"role":"user","content":{json.dumps("Fix issue " + instance)}}}']
            for _ in range(rng.randint(10, 30)):
                parts.append(f'{{"role":"assistant","content":{rng.choice(pool)}}}')
                parts.append(f'{{"role":"user","content":{rng.choice(pool)}}}')
            line = (f'{{"instance_id":"{instance}","repo":"repo/name","messages":[{",".join(parts)}],'
                    f'"exit_status":"submitted"}}\n')
            out.write(line)
            written += len(line.encode())
            rollout += 1


if __name__ == "__main__":
    main()
