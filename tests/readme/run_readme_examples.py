#!/usr/bin/env python3
"""Runs every shell example of the README, as a reader would, from the repository root after
`make demo`, and fails when one fails.

The ```sh, ```bash and ```shell blocks run in README order, each in its own bash
(`set -eo pipefail`, so a failing command or pipe stage fails the block), in one scratch folder
that holds a copy of what the examples read (SCRATCH_COPIES), a `build/bin` link to the tools
(also first on PATH) and the demo outputs (`make demo-run`, what `make demo` runs after the
build, so out/demo/ is there). Later blocks may use files that earlier blocks wrote, as a reader
following along would.

A block that must not run (it installs packages, builds, or needs a network service) is marked
by an HTML comment on the line before its fence, with the reason:

    <!-- readme-test: skip (installs packages and builds) -->

A marker without a reason, a marker that is not followed by a block, or an unknown directive is
an error. Skipped blocks are counted in the output.

    run_readme_examples.py --bin build/bin [--readme README.md] [--repo .] [--no-demo] [--keep]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

RUN_LANGUAGES = {"sh", "bash", "shell"}
FENCE = re.compile(r"^(```|~~~)\s*([A-Za-z0-9_+-]*)\s*$")
MARKER = re.compile(r"^<!--\s*readme-test:\s*(.*?)\s*-->\s*$")
SKIP = re.compile(r"^skip\s*\((.+)\)$")
# What the examples read, copied from the repository into the scratch folder.
SCRATCH_COPIES = ["examples", "tests/fixtures", "tests/support/judge_server.bash", "tests/generate/answer_batch.py",
                  "scripts/demo-generate", "Makefile.pipeline", "Makefile"]
BLOCK_TIMEOUT_SECONDS = 300
# Bash runs each block after this prelude; the ERR trap names the failing
# command and its line (relative to the block) in a file the runner reads.
PRELUDE = (
    "set -eo pipefail\n"
    "trap 'printf \"%s\\n%s\" \"$LINENO\" \"$BASH_COMMAND\" > \"$README_TEST_FAILED\"' ERR\n"
)


class Block:
    def __init__(self, line, language, text, skip_reason):
        self.line = line  # 1-based line of the opening fence
        self.language = language
        self.text = text
        self.skip_reason = skip_reason


def parse_blocks(path):
    """The fenced blocks of a Markdown file, with their skip markers; raises ValueError on a bad marker."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []
    pending = None  # (line, reason) of a skip marker waiting for its block
    fence = None  # (opening line, fence characters, language, body lines) inside a block
    for number, line in enumerate(lines, start=1):
        if fence is not None:
            if line.strip() == fence[1]:
                blocks.append(Block(fence[0], fence[2], "\n".join(fence[3]) + "\n", fence[4]))
                fence = None
            else:
                fence[3].append(line)
            continue
        opening = FENCE.match(line)
        if opening:
            reason = pending[1] if pending else None
            pending = None
            fence = [number, opening.group(1), opening.group(2).lower(), [], reason]
            continue
        marker = MARKER.match(line.strip())
        if marker:
            skip = SKIP.match(marker.group(1))
            if not skip:
                raise ValueError(f"{path}:{number}: unknown readme-test directive '{marker.group(1)}' "
                                 "(expected 'skip (reason)')")
            pending = (number, skip.group(1).strip())
            continue
        if pending and line.strip():
            raise ValueError(f"{path}:{pending[0]}: a readme-test marker must come right before a fenced block")
    if fence is not None:
        raise ValueError(f"{path}:{fence[0]}: the block is never closed")
    if pending:
        raise ValueError(f"{path}:{pending[0]}: a readme-test marker must come right before a fenced block")
    return blocks


def make_scratch(repo, bin_dir, scratch):
    for relative in SCRATCH_COPIES:
        source = os.path.join(repo, relative)
        if not os.path.exists(source):
            continue
        target = os.path.join(scratch, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(source):
            shutil.copytree(source, target, symlinks=True)
        else:
            shutil.copy2(source, target)
    os.makedirs(os.path.join(scratch, "build"), exist_ok=True)
    os.symlink(os.path.abspath(bin_dir), os.path.join(scratch, "build", "bin"))


def run_demo(scratch, env):
    """out/demo/ as `make demo` leaves it (its pipeline run, without the build)."""
    result = subprocess.run(["make", "--no-print-directory", "demo-run", "BUILD=build"], cwd=scratch, env=env,
                            capture_output=True, text=True, timeout=BLOCK_TIMEOUT_SECONDS)
    if result.returncode != 0:
        sys.stderr.write(f"readme: 'make demo-run' failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
        return False
    return True


def run_block(block, readme_name, scratch, env):
    """None when the block succeeds, else the failure report."""
    failed_file = os.path.join(scratch, ".readme-test-failed")
    if os.path.exists(failed_file):
        os.remove(failed_file)
    block_env = dict(env, README_TEST_FAILED=failed_file)
    try:
        result = subprocess.run(["bash", "-c", PRELUDE + block.text], cwd=scratch, env=block_env,
                                capture_output=True, text=True, timeout=BLOCK_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return f"{readme_name}:{block.line}: the block did not finish within {BLOCK_TIMEOUT_SECONDS} s"
    if result.returncode == 0:
        return None
    line = block.line + 1
    command = block.text.strip()
    if os.path.exists(failed_file):
        with open(failed_file, encoding="utf-8") as f:
            failed_line, _, failed_command = f.read().partition("\n")
        # Bash counts the prelude's lines too; the block's first line is the line after the fence.
        body_line = int(failed_line) - PRELUDE.count("\n") if failed_line.isdigit() else 0
        body = block.text.split("\n")
        if 1 <= body_line <= len(body):
            line = block.line + body_line
            # The README's line as written (a whole pipeline), and what bash ran when that
            # line is only part of it (a command continued over several lines).
            command = body[body_line - 1].strip()
            if failed_command and failed_command.strip() not in command:
                command += f"\n  bash ran: {failed_command.strip()}"
        elif failed_command:
            command = failed_command
    stderr = result.stderr.rstrip("\n") or "(nothing)"
    return (f"{readme_name}:{line}: the block at line {block.line} failed (exit {result.returncode})\n"
            f"  command: {command}\n"
            "  stderr:\n" + "".join(f"    {text}\n" for text in stderr.split("\n")))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True, help="folder of the built tools (build/bin)")
    parser.add_argument("--repo", default=os.path.normpath(os.path.join(here, "..", "..")),
                        help="the repository root (default: two folders above this script)")
    parser.add_argument("--readme", help="the Markdown file (default: REPO/README.md)")
    parser.add_argument("--no-demo", action="store_true", help="do not make out/demo/ first")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and say where it is")
    args = parser.parse_args()
    readme = args.readme or os.path.join(args.repo, "README.md")
    readme_name = os.path.relpath(readme, args.repo) if not args.readme else args.readme

    try:
        blocks = parse_blocks(readme)
    except ValueError as error:
        sys.stderr.write(f"readme: {error}\n")
        return 1
    shell_blocks = [block for block in blocks if block.language in RUN_LANGUAGES]

    scratch = tempfile.mkdtemp(prefix="readme-examples-")
    try:
        make_scratch(args.repo, args.bin, scratch)
        env = dict(os.environ)
        env["PATH"] = os.path.join(scratch, "build", "bin") + os.pathsep + env.get("PATH", "")
        env.pop("MAKEFLAGS", None)
        env.pop("MFLAGS", None)
        if not args.no_demo and not run_demo(scratch, env):
            return 1
        ran, skipped, failures = 0, [], []
        for block in shell_blocks:
            if block.skip_reason is not None:
                skipped.append(block)
                continue
            ran += 1
            failure = run_block(block, readme_name, scratch, env)
            if failure:
                failures.append(failure)
                print(failure, end="", flush=True)
        print(f"readme: {len(shell_blocks)} shell blocks in {readme_name}: {ran} run, {len(failures)} failed, "
              f"{len(skipped)} skipped")
        for block in skipped:
            print(f"  skipped line {block.line}: {block.skip_reason}")
        return 1 if failures else 0
    finally:
        if args.keep:
            print(f"readme: scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
