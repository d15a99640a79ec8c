#!/usr/bin/env python3
"""A small agent-trajectory corpus, the same rollouts written in the three layouts turns reads.

  messages.jsonl    {instance_id, repo, messages: [{role, content}], exit_status}   (SWE-ZERO)
  trajectory.jsonl  {instance_id, repo, trajectory: [{role, text}], exit_status}   (nebius SWE-agent, "ai" for assistant)
  openai.jsonl      {instance_id, repo, messages: [{role, content, tool_calls | tool_call_id, name}], exit_status}
  prs.jsonl         {instance_id, commit, title, patch}: one side record per instance but the last
  exclude.txt       one oversized instance's id

Rollouts of one instance share their first step (as rollouts from one prompt do), so --dedup-prefix has
work to do. Deterministic: the same --instances, --rollouts and --seed give the same bytes.
"""
import argparse
import json
import os
import random

COMMANDS = ["ls", "grep -rn 'def parse' src", "sed -n 1,40p src/app.py", "python -m pytest -x tests",
            "git diff", "cat setup.cfg", "python reproduce.py"]
THOUGHTS = ["Let me look at the layout first.", "I will search for the parser.", "The bug is in the loop bound.",
            "Run the tests to see the failure.", "Now check the diff.", "Édition: the fix needs a guard — done."]


def rollout(rng, instance, number, first_step):
    steps = [first_step] + [(rng.choice(THOUGHTS), rng.choice(COMMANDS)) for _ in range(rng.randint(1, 3))]
    observations = [f"output {instance}-{number}-{i}: " + "x" * rng.randint(10, 120) for i in range(len(steps))]
    return steps, observations


def layouts(instance, repo, steps, observations, exit_status):
    system = "You are a software engineer fixing a bug in a repository. Reply with one command per turn."
    task = f"Fix issue {instance} in {repo}: the parser drops the last line."
    plain = [{"role": "system", "content": system}, {"role": "user", "content": task}]
    openai = [{"role": "system", "content": system}, {"role": "user", "content": task}]
    for i, ((thought, command), observation) in enumerate(zip(steps, observations)):
        plain.append({"role": "assistant", "content": f"{thought}\n```bash\n{command}\n```"})
        plain.append({"role": "user", "content": observation})
        call_id = f"call_{i}"
        openai.append({"role": "assistant", "content": thought, "tool_calls": [
            {"id": call_id, "type": "function",
             "function": {"name": "bash", "arguments": json.dumps({"command": command})}}]})
        openai.append({"role": "tool", "tool_call_id": call_id, "name": "bash", "content": observation})
    final = "I fixed the loop bound; submitting."
    plain.append({"role": "assistant", "content": final})
    openai.append({"role": "assistant", "content": final})
    nebius = [{"role": "ai" if m["role"] == "assistant" else m["role"], "text": m["content"]} for m in plain]
    base = {"instance_id": instance, "repo": repo}
    tail = {"exit_status": exit_status}
    return ({**base, "messages": plain, **tail}, {**base, "trajectory": nebius, **tail},
            {**base, "messages": openai, **tail})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=".", help="folder for the files (default .)")
    parser.add_argument("--instances", type=int, default=4)
    parser.add_argument("--rollouts", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--all-prs", action="store_true", help="a side record for the last instance too")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    files = {name: open(os.path.join(args.out, name), "w", encoding="utf-8")
             for name in ("messages.jsonl", "trajectory.jsonl", "openai.jsonl", "prs.jsonl")}
    repos = ["acme/parser", "acme/cli", "tools/fmt", "web/app"]
    for n in range(args.instances):
        instance = f"{repos[n % len(repos)].replace('/', '__')}-{100 + n}"
        repo = repos[n % len(repos)]
        first_step = (rng.choice(THOUGHTS), rng.choice(COMMANDS))
        for r in range(args.rollouts):
            steps, observations = rollout(rng, instance, r, first_step)
            # The first observation is the same in every rollout: the same command on the same repository.
            observations[0] = f"output {instance}-first: " + "y" * 40
            exit_status = rng.choice(["submitted", "submitted", "exit_context"])
            for name, record in zip(("messages.jsonl", "trajectory.jsonl", "openai.jsonl"),
                                    layouts(instance, repo, steps, observations, exit_status)):
                files[name].write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        if n + 1 < args.instances or args.all_prs:
            files["prs.jsonl"].write(json.dumps({"instance_id": instance, "commit": f"{rng.getrandbits(40):010x}",
                                                 "title": f"Fix {instance}",
                                                 "patch": f"bound the loop in {repo}/parse.py by len(lines), not "
                                                          f"len(lines) - 1, and add a test with no final newline"},
                                                separators=(",", ":")) + "\n")
    for f in files.values():
        f.close()
    with open(os.path.join(args.out, "exclude.txt"), "w", encoding="utf-8") as f:
        f.write(f"{repos[0].replace('/', '__')}-100\n")


if __name__ == "__main__":
    main()
