"""What every payload peer prints: one JSON summary line on stdout, so the runner can compare them.

A peer reads the JSONL file as bytes, checks each line independently and counts accepted and rejected
lines. `loop_cpu_s` is the process CPU time of reading plus checking (imports and schema compilation
excluded), the figure usually quoted for a validator; the runner also times the whole process.
"""

from __future__ import annotations

import json
import sys
import time


def run(name: str, path: str, check, list_rejected: bool) -> int:
    c0, w0 = time.process_time(), time.perf_counter()
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    rejected: list[int] = []
    for number, line in enumerate(lines, 1):
        if not check(line):
            rejected.append(number)
    c1, w1 = time.process_time(), time.perf_counter()
    summary = {
        "tool": name, "payloads": len(lines), "accepted": len(lines) - len(rejected),
        "rejected": len(rejected), "bytes": len(data), "loop_cpu_s": c1 - c0, "loop_wall_s": w1 - w0,
    }
    if list_rejected:
        summary["rejected_lines"] = rejected
    print(json.dumps(summary))
    return 1 if rejected else 0


def main(name: str, make_check) -> int:
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--schema", default=None)
    ap.add_argument("--list-rejected", action="store_true")
    args = ap.parse_args()
    return run(name, args.file, make_check(args.schema), args.list_rejected)


if __name__ == "__main__":
    sys.exit("import this module")
