#!/usr/bin/env python3
"""Writes candidates.jsonl: SFT candidates from four model runs on 30 small
Python problems (MBPP style), one record per (run, problem) attempt, as an
evaluation harness would log them. Deterministic: the file is committed, this
script documents how it was made.

  python3 examples/sft/make_candidates.py > examples/sft/candidates.jsonl
"""
import json
import zlib

# (problem_id, difficulty, prompt, tests_total, solution, wrong solution)
PROBLEMS = [
    ("mbpp-101", "easy", "Write a function that returns the square of a number.", 3,
     "def square(n):\n    return n * n",
     "def square(n):\n    return n * 2"),
    ("mbpp-102", "easy", "Write a function that reverses a string.", 3,
     "def reverse_string(s):\n    return s[::-1]",
     "def reverse_string(s):\n    return s[::1]"),
    ("mbpp-103", "easy", "Write a function that returns the largest of three numbers.", 4,
     "def max_of_three(a, b, c):\n    return max(a, b, c)",
     "def max_of_three(a, b, c):\n    return a if a > b else b"),
    ("mbpp-104", "easy", "Write a function that counts the vowels in a string, e.g. count_vowels(\"naïve café\") == 4 (accented vowels count).", 3,
     "import unicodedata\n\ndef count_vowels(s):\n    base = unicodedata.normalize(\"NFD\", s.lower())\n    return sum(1 for ch in base if ch in \"aeiou\")",
     "def count_vowels(s):\n    return sum(1 for ch in s if ch in \"aeiou\")"),
    ("mbpp-105", "easy", "Write a function that checks whether a number is even.", 3,
     "def is_even(n):\n    return n % 2 == 0",
     "def is_even(n):\n    return n % 2 == 1"),
    ("mbpp-106", "easy", "Write a function that sums a list of numbers, e.g. [1, 2, 3] -> 6.", 3,
     "def sum_list(xs):\n    return sum(xs)",
     "def sum_list(xs):\n    total = 0\n    for x in xs[1:]:\n        total += x\n    return total"),
    ("mbpp-107", "easy", "Write a function that converts a temperature from Celsius to Fahrenheit (°F = °C × 9/5 + 32).", 3,
     "def c_to_f(c):\n    return c * 9 / 5 + 32",
     "def c_to_f(c):\n    return c * 5 / 9 + 32"),
    ("mbpp-108", "easy", "Write a function that returns the first and last element of a list as a tuple.", 3,
     "def first_last(xs):\n    return (xs[0], xs[-1])",
     "def first_last(xs):\n    return (xs[0], xs[1])"),
    ("mbpp-109", "easy", "Write a function that joins a list of words with \", \" (a comma and a space).", 3,
     "def join_words(words):\n    return \", \".join(words)",
     "def join_words(words):\n    return \",\".join(words)"),
    ("mbpp-110", "easy", "Write a function that counts how many times a character occurs in a string.", 3,
     "def count_char(s, ch):\n    return s.count(ch)",
     "def count_char(s, ch):\n    return s.find(ch)"),
    ("mbpp-111", "easy", "Write a function that removes duplicate elements from a list, keeping the first occurrence of each.", 3,
     "def dedupe(xs):\n    return list(dict.fromkeys(xs))",
     "def dedupe(xs):\n    return list(set(xs))"),
    ("mbpp-112", "easy", "Write a function that returns the length of the longest word in a sentence.", 3,
     "def longest_word_length(sentence):\n    return max((len(w) for w in sentence.split()), default=0)",
     "def longest_word_length(sentence):\n    return len(sentence.split()[0])"),
    ("mbpp-201", "medium", "Write a function that checks whether a string is a palindrome, ignoring case, spaces and punctuation: \"A man, a plan, a canal: Panama\" is one.", 4,
     "def is_palindrome(s):\n    chars = [ch.lower() for ch in s if ch.isalnum()]\n    return chars == chars[::-1]",
     "def is_palindrome(s):\n    return s == s[::-1]"),
    ("mbpp-202", "medium", "Write a function that returns the n-th Fibonacci number (fib(0) = 0, fib(1) = 1).", 4,
     "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a",
     "def fib(n):\n    a, b = 1, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a"),
    ("mbpp-203", "medium", "Write a function that groups words that are anagrams of each other.\nExample:\n  group_anagrams([\"eat\", \"tea\", \"tan\", \"ate\", \"nat\"])\n  -> [[\"eat\", \"tea\", \"ate\"], [\"tan\", \"nat\"]]", 3,
     "from collections import defaultdict\n\ndef group_anagrams(words):\n    groups = defaultdict(list)\n    for word in words:\n        groups[\"\".join(sorted(word))].append(word)\n    return list(groups.values())",
     "def group_anagrams(words):\n    return [words]"),
    ("mbpp-204", "medium", "Write a function that flattens a nested list of arbitrary depth.", 4,
     "def flatten(xs):\n    out = []\n    for x in xs:\n        if isinstance(x, list):\n            out.extend(flatten(x))\n        else:\n            out.append(x)\n    return out",
     "def flatten(xs):\n    return [y for x in xs for y in x]"),
    ("mbpp-205", "medium", "Write a function that returns the most common word in a text (lower-cased; ties: the word seen first).", 3,
     "def most_common_word(text):\n    counts = {}\n    for word in text.lower().split():\n        counts[word] = counts.get(word, 0) + 1\n    return max(counts, key=counts.get)",
     "def most_common_word(text):\n    return text.split()[0]"),
    ("mbpp-206", "medium", "Write a function that checks whether the brackets ()[]{} in a string are balanced.", 5,
     "def balanced(s):\n    pairs = {\")\": \"(\", \"]\": \"[\", \"}\": \"{\"}\n    stack = []\n    for ch in s:\n        if ch in \"([{\":\n            stack.append(ch)\n        elif ch in pairs:\n            if not stack or stack.pop() != pairs[ch]:\n                return False\n    return not stack",
     "def balanced(s):\n    return s.count(\"(\") == s.count(\")\")"),
    ("mbpp-207", "medium", "Write a function that rotates a list to the right by k places.", 4,
     "def rotate(xs, k):\n    if not xs:\n        return xs\n    k %= len(xs)\n    return xs[-k:] + xs[:-k]",
     "def rotate(xs, k):\n    return xs[k:] + xs[:k]"),
    ("mbpp-208", "medium", "Write a function that parses a CSV line with quoted fields, e.g. 'a,\"b,c\",d' -> ['a', 'b,c', 'd'].", 4,
     "import csv\n\ndef parse_csv_line(line):\n    return next(csv.reader([line]))",
     "def parse_csv_line(line):\n    return line.split(\",\")"),
    ("mbpp-209", "medium", "Write a function that returns the run-length encoding of a string: \"aaabcc\" -> \"a3b1c2\".", 3,
     "from itertools import groupby\n\ndef rle(s):\n    return \"\".join(f\"{ch}{len(list(run))}\" for ch, run in groupby(s))",
     "def rle(s):\n    return \"\".join(f\"{ch}{s.count(ch)}\" for ch in s)"),
    ("mbpp-210", "medium", "Write a function that merges two sorted lists into one sorted list in linear time.", 4,
     "def merge(a, b):\n    i = j = 0\n    out = []\n    while i < len(a) and j < len(b):\n        if a[i] <= b[j]:\n            out.append(a[i]); i += 1\n        else:\n            out.append(b[j]); j += 1\n    return out + a[i:] + b[j:]",
     "def merge(a, b):\n    return a + b"),
    ("mbpp-301", "hard", "Write a function that returns the length of the longest increasing subsequence of a list in O(n log n).", 5,
     "from bisect import bisect_left\n\ndef lis_length(xs):\n    tails = []\n    for x in xs:\n        i = bisect_left(tails, x)\n        if i == len(tails):\n            tails.append(x)\n        else:\n            tails[i] = x\n    return len(tails)",
     "def lis_length(xs):\n    return len(set(xs))"),
    ("mbpp-302", "hard", "Write a function that returns the edit (Levenshtein) distance between two strings, e.g. (\"kitten\", \"sitting\") -> 3.", 5,
     "def edit_distance(a, b):\n    prev = list(range(len(b) + 1))\n    for i, ca in enumerate(a, 1):\n        cur = [i]\n        for j, cb in enumerate(b, 1):\n            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))\n        prev = cur\n    return prev[-1]",
     "def edit_distance(a, b):\n    return abs(len(a) - len(b))"),
    ("mbpp-303", "hard", "Write a function that finds the shortest path length between two nodes of an unweighted graph given as an adjacency dict; return -1 when there is none.", 5,
     "from collections import deque\n\ndef shortest_path(graph, start, goal):\n    seen = {start}\n    queue = deque([(start, 0)])\n    while queue:\n        node, dist = queue.popleft()\n        if node == goal:\n            return dist\n        for nxt in graph.get(node, ()):\n            if nxt not in seen:\n                seen.add(nxt)\n                queue.append((nxt, dist + 1))\n    return -1",
     "def shortest_path(graph, start, goal):\n    return 1 if goal in graph.get(start, ()) else -1"),
    ("mbpp-304", "hard", "Write a function that evaluates an arithmetic expression with +, -, *, / and parentheses, without eval(): \"2 * (3 + 4)\" -> 14.", 6,
     "import re\n\ndef evaluate(expr):\n    tokens = re.findall(r\"\\d+\\.?\\d*|[()+\\-*/]\", expr)\n    pos = 0\n\n    def peek():\n        return tokens[pos] if pos < len(tokens) else None\n\n    def take():\n        nonlocal pos\n        pos += 1\n        return tokens[pos - 1]\n\n    def atom():\n        if peek() == \"(\":\n            take()\n            value = add()\n            take()\n            return value\n        if peek() == \"-\":\n            take()\n            return -atom()\n        return float(take())\n\n    def mul():\n        value = atom()\n        while peek() in (\"*\", \"/\"):\n            value = value * atom() if take() == \"*\" else value / atom()\n        return value\n\n    def add():\n        value = mul()\n        while peek() in (\"+\", \"-\"):\n            value = value + mul() if take() == \"+\" else value - mul()\n        return value\n\n    return add()",
     "def evaluate(expr):\n    return float(expr.split()[0])"),
    ("mbpp-305", "hard", "Write a function that returns all permutations of a list without itertools, in lexicographic order of positions.", 4,
     "def permutations(xs):\n    if len(xs) <= 1:\n        return [list(xs)]\n    out = []\n    for i, x in enumerate(xs):\n        for rest in permutations(xs[:i] + xs[i + 1:]):\n            out.append([x] + rest)\n    return out",
     "def permutations(xs):\n    return [xs, xs[::-1]]"),
    ("mbpp-306", "hard", "Write a function that solves the 0/1 knapsack problem: given weights, values and a capacity, return the best total value.", 5,
     "def knapsack(weights, values, capacity):\n    best = [0] * (capacity + 1)\n    for w, v in zip(weights, values):\n        for c in range(capacity, w - 1, -1):\n            best[c] = max(best[c], best[c - w] + v)\n    return best[capacity]",
     "def knapsack(weights, values, capacity):\n    return sum(v for w, v in zip(weights, values) if w <= capacity)"),
    ("mbpp-307", "hard", "Write a function that returns the median of two sorted lists in O(log(m + n)).", 6,
     "def median_sorted(a, b):\n    if len(a) > len(b):\n        a, b = b, a\n    m, n = len(a), len(b)\n    lo, hi = 0, m\n    while True:\n        i = (lo + hi) // 2\n        j = (m + n + 1) // 2 - i\n        left_a = a[i - 1] if i > 0 else float(\"-inf\")\n        right_a = a[i] if i < m else float(\"inf\")\n        left_b = b[j - 1] if j > 0 else float(\"-inf\")\n        right_b = b[j] if j < n else float(\"inf\")\n        if left_a <= right_b and left_b <= right_a:\n            if (m + n) % 2:\n                return max(left_a, left_b)\n            return (max(left_a, left_b) + min(right_a, right_b)) / 2\n        if left_a > right_b:\n            hi = i - 1\n        else:\n            lo = i + 1",
     "def median_sorted(a, b):\n    merged = a + b\n    return merged[len(merged) // 2]"),
    ("mbpp-308", "hard", "Write a function that counts the islands (4-connected groups of 1s) in a grid given as a list of lists.", 5,
     "def count_islands(grid):\n    rows, cols = len(grid), len(grid[0]) if grid else 0\n    seen = set()\n\n    def sink(r, c):\n        stack = [(r, c)]\n        while stack:\n            r, c = stack.pop()\n            if 0 <= r < rows and 0 <= c < cols and grid[r][c] == 1 and (r, c) not in seen:\n                seen.add((r, c))\n                stack.extend([(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)])\n\n    count = 0\n    for r in range(rows):\n        for c in range(cols):\n            if grid[r][c] == 1 and (r, c) not in seen:\n                sink(r, c)\n                count += 1\n    return count",
     "def count_islands(grid):\n    return sum(row.count(1) for row in grid)"),
]

# (model, run, skill: pass chance in percent per difficulty)
RUNS = [
    ("qwen2.5-coder-7b-instruct", 1, {"easy": 95, "medium": 70, "hard": 40}),
    ("llama-3.1-8b-instruct", 2, {"easy": 85, "medium": 55, "hard": 20}),
    ("deepseek-coder-6.7b-instruct", 3, {"easy": 90, "medium": 65, "hard": 35}),
    ("gpt-4o-mini", 4, {"easy": 100, "medium": 85, "hard": 60}),
]
# Run 2's harness crashed after these problems and was restarted: their
# records were logged twice (exact duplicate lines).
RELOGGED = {("llama-3.1-8b-instruct", "mbpp-101"), ("llama-3.1-8b-instruct", "mbpp-102"),
            ("llama-3.1-8b-instruct", "mbpp-103")}


def roll(*parts):
    return zlib.crc32("/".join(parts).encode()) % 100


def styled(code, model):
    """The same solution as different models tend to write it."""
    if model.startswith("qwen"):
        return code
    if model.startswith("llama"):
        return "Here is the solution:\n\n```python\n" + code + "\n```"
    if model.startswith("deepseek"):
        return "```python\n" + code + "\n```"
    return code + "\n"


def main():
    for model, run, skill in RUNS:
        for pid, difficulty, prompt, tests_total, good, bad in PROBLEMS:
            passed = roll(model, pid) < skill[difficulty]
            tests_passed = tests_total if passed else roll("partial", model, pid) % tests_total
            record = {
                "problem_id": pid,
                "difficulty": difficulty,
                "model": model,
                "run": run,
                "passed": passed,
                "tests_passed": tests_passed,
                "tests_total": tests_total,
                "duration_s": round(0.05 + roll("time", model, pid) / 40, 3),
                "prompt": prompt,
                "response": styled(good if passed else bad, model),
            }
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            print(line)
            if (model, pid) in RELOGGED:
                print(line)


if __name__ == "__main__":
    main()
