"""Checks a Spark run: every input id comes back exactly once, and every bad input line comes back
as one error line. Usage: check_output.py SHARD_DIR OUTPUT_DIR EXPECTED_ERRORS"""

import collections
import glob
import json
import os
import sys


def main() -> int:
    shards, output, expected_errors = sys.argv[1], sys.argv[2], int(sys.argv[3])
    want = collections.Counter()
    for path in sorted(glob.glob(os.path.join(shards, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict) and "text" in rec:
                    want[rec["id"]] += 1
    got = collections.Counter()
    errors = 0
    for path in sorted(glob.glob(os.path.join(output, "part-*"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("error") is None:
                    got[rec["id"]] += 1
                else:
                    errors += 1
    problems = []
    missing = set(want) - set(got)
    extra = set(got) - set(want)
    twice = [i for i, n in got.items() if n != want.get(i)]
    if missing:
        problems.append(f"{len(missing)} ids missing, e.g. {sorted(missing)[:3]}")
    if extra:
        problems.append(f"{len(extra)} unexpected ids, e.g. {sorted(extra)[:3]}")
    if twice:
        problems.append(f"{len(twice)} ids with the wrong count, e.g. {twice[:3]}")
    if errors != expected_errors:
        problems.append(f"{errors} error lines, expected {expected_errors}")
    if any(n != 1 for n in want.values()):
        problems.append("duplicate ids in the input")
    candidates = 0
    for path in sorted(glob.glob(os.path.join(output, "part-*"))):
        with open(path, encoding="utf-8") as f:
            candidates += sum(len(json.loads(l).get("candidates") or []) for l in f)
    if candidates == 0:
        problems.append("no candidates at all, though the shards have planted station reports")
    print(f"spark check: {len(want)} input ids, {sum(got.values())} ok lines, {errors} error lines, {candidates} candidates")
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
