#!/usr/bin/env python3
"""One command for the benchmarks: build ours, generate the data, run every tool pinned to one core, compare.

    run.py [--suite payloads|release|all] [--quick] [--repeats N] [--no-build] [--bin PATH]

Each tool is a small adapter (TOOLS_* below): the argv to run and how to read its verdict. Every run goes
through `taskset -c CORE /usr/bin/time`, which gives wall time, CPU time (user + sys) and peak RSS of the
whole process; throughput is computed from CPU time (the machine is shared, so wall time can include time
slices lost to other jobs) and wall time is shown beside it. Each figure is the median of N runs.
Data are cached under Benchmarks/out/ by generator, seed and size. Results go to Benchmarks/out/results-*.json
and results-*.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
PY = sys.executable
WEEK = "2026-W24"


# ---------------------------------------------------------------------------------------------------------
# Measuring one process


@dataclasses.dataclass
class Run:
    argv: list[str]
    status: int
    wall: float
    user: float
    sys: float
    rss_kb: int
    stdout: str
    stderr_path: str

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def measure(argv: list[str], core: str, log_name: str, stdin_null: bool = True) -> Run:
    """Run argv pinned to `core` under /usr/bin/time; stdout is kept (peers print one JSON line)."""
    os.makedirs(os.path.join(OUT, "logs"), exist_ok=True)
    err_path = os.path.join(OUT, "logs", log_name + ".stderr")
    out_path = os.path.join(OUT, "logs", log_name + ".stdout")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        cmd = ["taskset", "-c", core, "/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name, *argv]
        with open(out_path, "w") as out, open(err_path, "w") as err:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            p = subprocess.run(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL if stdin_null else None)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        fields = tf.read().split("\n")
    # /usr/bin/time writes "Command exited with non-zero status N" before its format line. Its times have
    # 10 ms resolution, so CPU and wall come from getrusage and perf_counter (µs); peak RSS from %M.
    line = [f for f in fields if f and not f.startswith("Command")][-1]
    rss = line.split()[3]
    user = after.ru_utime - before.ru_utime
    sys_ = after.ru_stime - before.ru_stime
    with open(out_path) as f:
        stdout = f.read()
    return Run(argv, p.returncode, float(wall), float(user), float(sys_), int(rss), stdout, err_path)


def repeat(argv: list[str], core: str, n: int, log_name: str, before=None) -> list[Run]:
    runs = []
    for i in range(n):
        if before:
            before()
        runs.append(measure(argv, core, f"{log_name}.{i}"))
    return runs


def med(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def last_json(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


# ---------------------------------------------------------------------------------------------------------
# Data, cached by generator source, seed and size


def generator_digest(*names: str) -> str:
    h = hashlib.sha256()
    for n in ("bpgen.py", *names):
        with open(os.path.join(HERE, n), "rb") as f:
            h.update(f.read())
    with open(os.path.join(ROOT, "schemas", "payload-v0.schema.json"), "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:12]


def cached(path: str, digest: str, make) -> str:
    stamp = path + ".stamp"
    if os.path.exists(path) and os.path.exists(stamp) and open(stamp).read() == digest:
        return path
    t = time.perf_counter()
    make()
    with open(stamp, "w") as f:
        f.write(digest)
    print(f"  generated {os.path.relpath(path, ROOT)} in {time.perf_counter() - t:.1f} s", flush=True)
    return path


def payload_data(count: int, seed: int) -> dict[str, str]:
    d = generator_digest("gen_payloads.py")
    base = os.path.join(OUT, f"payloads-s{seed}-n{count}")
    paths = {"valid": base + ".jsonl", "invalid": base + ".invalid.jsonl", "one": base + ".one.json"}
    cached(paths["valid"], d, lambda: subprocess.run(
        [PY, os.path.join(HERE, "gen_payloads.py"), "--count", str(count), "--seed", str(seed),
         "-o", paths["valid"], "--invalid", paths["invalid"], "--one", paths["one"]], check=True))
    paths["kinds"] = paths["invalid"] + ".kinds"
    return paths


def big_file(valid: str, target_bytes: int) -> str:
    """The valid file repeated until it reaches target_bytes (the flat-memory check)."""
    size = os.path.getsize(valid)
    copies = max(1, -(-target_bytes // size))
    path = valid.replace(".jsonl", f".x{copies}.jsonl")

    def make():
        with open(path, "wb") as out, open(valid, "rb") as src:
            data = src.read()
            for _ in range(copies):
                out.write(data)

    return cached(path, f"{copies}:{size}:{open(valid + '.stamp').read()}", make)


def row_data(entries: int, seed: int) -> dict[str, str]:
    d = generator_digest("gen_rows.py")
    base = os.path.join(OUT, f"rows-s{seed}-e{entries}-{WEEK}")
    paths = {"payloads": base + ".jsonl", "flat": base + ".csv"}

    def make():
        p = subprocess.run([PY, os.path.join(HERE, "gen_rows.py"), "--entries", str(entries), "--seed",
                            str(seed), "--week", WEEK, "-o", paths["payloads"], "--flat", paths["flat"]],
                           check=True, stderr=subprocess.PIPE, text=True)
        with open(base + ".info", "w") as f:
            f.write(p.stderr)

    cached(paths["payloads"], d, make)
    with open(base + ".info") as f:
        paths["info"] = f.read().strip()
    return paths


# ---------------------------------------------------------------------------------------------------------
# Our binary


def build_ours(config: str) -> str:
    print(f"building backpay-verify ({config}) …", flush=True)
    subprocess.run(["swift", "build", "-c", config, "--product", "backpay-verify"], cwd=ROOT, check=True)
    bin_dir = subprocess.run(["swift", "build", "-c", config, "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_dir, "backpay-verify")


def has_command(binary: str, *words: str) -> bool:
    """True if `binary WORDS… --help` documents that very subcommand (ArgumentParser prints the parent's help,
    with exit 0, for an unknown subcommand followed by --help)."""
    if not os.path.exists(binary):
        return False
    p = subprocess.run([binary, *words, "--help"], capture_output=True, text=True)
    usage = "USAGE: " + " ".join([os.path.basename(binary), *words])
    return p.returncode == 0 and any(l.strip().startswith(usage + " ") or l.strip() == usage
                                     for l in p.stdout.splitlines())


SUMMARY_RE = re.compile(r": (\d+) payloads: (\d+) valid, (\d+) invalid, (\d+) not canonical")


def ours_accepted(stdout: str) -> int | None:
    """The valid count from our summary line `FILE: N payloads: V valid, I invalid, C not canonical`."""
    m = SUMMARY_RE.search(stdout)
    return int(m.group(2)) if m else None


def ours_rejected_lines(report: str) -> set[int]:
    """The lines `payload --format json` reports as not valid (format backpay-payload-report/1)."""
    doc = json.loads(report)
    return {r["line"] for f in doc["files"] for r in f.get("results", []) if not r["valid"]}


# ---------------------------------------------------------------------------------------------------------
# Payload suite


def payload_tools(binary: str | None):
    """(name, argv for a file, argv for listing rejections or None, how rejections are read)."""
    tools = []
    if binary:
        tools.append(("backpay-verify", lambda f: [binary, "payload", "--jsonl", f], "ours"))
    tools.append(("orjson+jsonschema-rs", lambda f: [PY, os.path.join(HERE, "peer_jsonschema_rs.py"), f],
                  "peer"))
    tools.append(("msgspec", lambda f: [PY, os.path.join(HERE, "peer_msgspec.py"), f], "peer"))
    return tools


def rejected_of(kind: str, argv: list[str], core: str, log: str) -> set[int]:
    if kind == "peer":
        run = measure(argv + ["--list-rejected"], core, log)
        return set(last_json(run.stdout).get("rejected_lines", []))
    run = measure(argv + ["--format", "json"], core, log)
    return ours_rejected_lines(run.stdout)


def count_lines(path: str) -> int:
    with open(path, "rb") as f:
        return sum(buf.count(b"\n") for buf in iter(lambda: f.read(1 << 20), b""))


def suite_payloads(args, binary: str | None) -> dict:
    print(f"\n== payloads: {args.payloads:,} valid payloads, seed {args.seed}", flush=True)
    data = payload_data(args.payloads, args.seed)
    n = count_lines(data["valid"])
    size = os.path.getsize(data["valid"])
    kinds = open(data["kinds"]).read().split()
    results: dict = {"payloads": n, "bytes": size, "tools": {}, "invalid_kinds": {}, "missing": []}
    if binary is None:
        results["missing"].append("backpay-verify payload --jsonl (not in this build)")

    for name, argv_of, how in payload_tools(binary):
        runs = repeat(argv_of(data["valid"]), args.core, args.repeats, f"payloads.{name}")
        summaries = [last_json(r.stdout) for r in runs]
        ok = all(r.status == 0 for r in runs)
        accepted = summaries[0].get("accepted") if how == "peer" else ours_accepted(runs[0].stdout)
        if not ok:
            print(f"  {name} exited {runs[0].status} on valid data (see Benchmarks/out/logs/)", flush=True)
        rej = rejected_of(how, argv_of(data["invalid"]), args.core, f"invalid.{name}")
        cpu = med(runs, "cpu")
        entry = {
            "accepted_valid": accepted, "valid_exit_status": runs[0].status,
            "rejected_invalid": len(rej), "invalid_total": len(kinds),
            "cpu_s": cpu, "wall_s": med(runs, "wall"), "rss_mb": med(runs, "rss_kb") / 1024,
            "cpu_s_all": [r.cpu for r in runs],
            "payloads_per_s": n / cpu, "mb_per_s": size / cpu / 1e6, "us_per_payload": cpu / n * 1e6,
        }
        if how == "ours":
            m = SUMMARY_RE.search(runs[0].stdout)
            entry["not_canonical"] = int(m.group(4)) if m else None
        if how == "peer":
            loop = statistics.median(s["loop_cpu_s"] for s in summaries)
            entry.update(loop_cpu_s=loop, loop_payloads_per_s=n / loop, loop_mb_per_s=size / loop / 1e6)
        results["tools"][name] = entry
        for kind in dict.fromkeys(kinds):
            lines = [i for i, k in enumerate(kinds, 1) if k == kind]
            results["invalid_kinds"].setdefault(kind, {})[name] = sum(1 for i in lines if i in rej)
        print(f"  {name}: {entry['payloads_per_s']:,.0f} payloads/s (process CPU), accepted "
              f"{accepted}/{n} valid, rejected {len(rej)}/{len(kinds)} invalid", flush=True)

    if binary:
        big = big_file(data["valid"], args.big_bytes)
        run = measure([binary, "payload", "--jsonl", big], args.core, "payloads.big")
        results["big_file"] = {"bytes": os.path.getsize(big), "status": run.status, "cpu_s": run.cpu,
                               "wall_s": run.wall, "rss_mb": run.rss_kb / 1024}
        print(f"  {os.path.getsize(big) / 1e9:.2f} GB file: peak RSS {run.rss_kb / 1024:.1f} MB, exit "
              f"{run.status}", flush=True)
        results["single_file"] = latency(binary, data["one"], args)
        print(f"  one payload file, process start included: median {results['single_file']['median_ms']:.2f} "
              f"ms ({results['single_file']['method']})", flush=True)
    return results


def latency(binary: str, one: str, args) -> dict:
    argv = [binary, "payload", one]
    if shutil.which("hyperfine"):
        with tempfile.NamedTemporaryFile("r", suffix=".json") as tf:
            subprocess.run(["taskset", "-c", args.core, "hyperfine", "-N", "--warmup", "5", "--runs",
                            str(args.latency_runs), "--export-json", tf.name, " ".join(argv)],
                           check=True, capture_output=True)
            r = json.load(tf)["results"][0]
        return {"method": f"hyperfine, {args.latency_runs} runs", "median_ms": r["median"] * 1e3,
                "mean_ms": r["mean"] * 1e3, "min_ms": r["min"] * 1e3, "max_ms": r["max"] * 1e3,
                "cpu_mean_ms": (r["user"] + r["system"]) * 1e3,
                "exit_codes": sorted(set(r.get("exit_codes", [0])))}
    times = []
    for _ in range(args.latency_runs):
        t = time.perf_counter()
        p = subprocess.run(["taskset", "-c", args.core, *argv], capture_output=True)
        times.append(time.perf_counter() - t)
        if p.returncode != 0:
            raise SystemExit(f"single-file run failed with exit {p.returncode}")
    return {"method": f"python timing, {args.latency_runs} runs (taskset exec included)",
            "median_ms": statistics.median(times) * 1e3, "min_ms": min(times) * 1e3, "max_ms": max(times) * 1e3}


# ---------------------------------------------------------------------------------------------------------
# Release suite


# Extra `release build` arguments (`--release-args "--release-format 2"`), e.g. to time format 2.
RELEASE_ARGS: list[str] = []


def release_command(binary: str, rows: str, out: str) -> list[str]:
    return [binary, "release", "build", "--rows", rows, "--week", WEEK, "-o", out] + RELEASE_ARGS


def suite_release(args, binary: str | None) -> dict:
    results: dict = {"sizes": {}, "missing": []}
    if binary is None:
        results["missing"].append("backpay-verify release build (not in this build)")
    for entries in args.entries:
        print(f"\n== release: {entries:,} entries, week {WEEK}, seed {args.seed}", flush=True)
        data = row_data(entries, args.seed)
        print(f"  data: {data['info']}", flush=True)
        size = {"info": data["info"], "payload_bytes": os.path.getsize(data["payloads"]),
                "flat_bytes": os.path.getsize(data["flat"]), "tools": {}}
        outdir = os.path.join(OUT, "release")
        os.makedirs(outdir, exist_ok=True)
        tag = f"e{entries}"

        def out(name: str) -> str:
            return os.path.join(outdir, f"{name}-{tag}.out")

        tools = []  # (name, argv, repeats, output path removed before each run)
        if binary:
            tools.append(("backpay-verify", release_command(binary, data["payloads"], out("ours")), args.repeats,
                          out("ours")))
        else:
            size["ours_command"] = " ".join(release_command("backpay-verify", data["payloads"], out("ours")))
        # Format 2 as well, on the same core: the build audited against insiders (backpay-attacker/2), which
        # must stay faster than DuckDB's bare k >= 5 query too.
        format2 = binary is not None and "--release-format" not in RELEASE_ARGS
        if format2:
            tools.append((FORMAT2, release_command(binary, data["payloads"], out("ours-f2")) + ["--release-format", "2"],
                          args.repeats, out("ours-f2")))
        tools.append(("duckdb", [PY, os.path.join(HERE, "peer_duckdb.py"), data["payloads"], "--week", WEEK,
                                 "-o", out("duckdb")], args.repeats, out("duckdb")))
        tools.append(("duckdb-flat", [PY, os.path.join(HERE, "peer_duckdb.py"), data["flat"], "--flat",
                                      "--week", WEEK, "-o", out("duckdb-flat")], args.repeats, out("duckdb-flat")))
        if not args.skip_acro:
            tools.append(("acro", [PY, os.path.join(HERE, "peer_acro.py"), data["flat"], "--week", WEEK,
                                   "-o", out("acro")], args.acro_repeats, out("acro")))
        if not args.skip_acro and not args.quick:
            # The same six counters ours protects: one ACRO crosstab (with its checks and suppression) each.
            tools.append(("acro-6-counters", [PY, os.path.join(HERE, "peer_acro.py"), data["flat"], "--week", WEEK,
                                              "--counters", ",".join(SIX), "-o", out("acro-6")], args.acro_repeats,
                          out("acro-6")))
        cores = os.cpu_count() or 1
        if cores > 1 and not args.one_core:
            # Both as users run them, on the whole machine: ours starts one reading thread per processor it
            # may use, DuckDB is told to use as many.
            every = f"0-{cores - 1}"
            if binary:
                tools.append((f"backpay-verify, {cores} cores", release_command(binary, data["payloads"], out("ours-all")),
                              args.repeats, out("ours-all"), every))
            tools.append((f"duckdb, {cores} cores", [PY, os.path.join(HERE, "peer_duckdb.py"), data["payloads"], "--week",
                                                     WEEK, "--threads", str(cores), "-o", out("duckdb-all")],
                          args.repeats, out("duckdb-all"), every))
        for name, argv, n, output, *pinned in tools:
            runs = repeat(argv, pinned[0] if pinned else args.core, n, f"release.{name.replace(', ', '-').replace(' ', '')}.{tag}",
                          before=lambda o=output: remove(o))
            cpu = med(runs, "cpu")
            entry = {"status": runs[0].status, "ok": all(r.status == 0 for r in runs), "cpu_s": cpu,
                     "wall_s": med(runs, "wall"), "rss_mb": med(runs, "rss_kb") / 1024,
                     "cpu_s_all": [r.cpu for r in runs], "entries_per_s": entries / cpu,
                     "summary": last_json(runs[0].stdout) or ours_release_summary(runs[0].stdout), "output": output}
            size["tools"][name] = entry
            print(f"  {name}: {cpu:.2f} s CPU, {entry['wall_s']:.2f} s wall, {entry['rss_mb']:.0f} MB, "
                  f"exit {runs[0].status} {entry['summary'] or ''}", flush=True)
        if format2 and size["tools"][FORMAT2]["ok"]:
            # Where a format-2 build's time goes: its own --verbose timings (one run, same core).
            remove(out("ours-f2"))
            p = subprocess.run(["taskset", "-c", args.core, *release_command(binary, data["payloads"], out("ours-f2")),
                                "--release-format", "2", "--verbose"], capture_output=True, text=True)
            m = PHASES_RE.search(p.stderr + p.stdout)
            if m:
                size["format2_phases"] = {"read_s": float(m.group(1)), "protect_s": float(m.group(2))}
                print(f"  format 2 phases (--verbose): {size['format2_phases']}", flush=True)
        if binary and "duckdb" in size["tools"] and size["tools"]["backpay-verify"]["ok"]:
            size["crosscheck"] = crosscheck_release(out("ours"), out("duckdb"))
            print(f"  cross-check against DuckDB: {size['crosscheck']}", flush=True)
            if has_command(binary, "release", "audit"):
                runs = repeat([binary, "release", "audit", out("ours")], args.core, args.repeats,
                              f"release.audit.{tag}")
                size["audit"] = {"status": runs[0].status, "cpu_s": med(runs, "cpu"), "wall_s": med(runs, "wall"),
                                 "rss_mb": med(runs, "rss_kb") / 1024}
                print(f"  release audit: {size['audit']}", flush=True)
        results["sizes"][str(entries)] = size
    return results


FORMAT2 = "backpay-verify --release-format 2"
PHASES_RE = re.compile(r"read and summed the rows in ([0-9.]+) s.*?protected the table in ([0-9.]+) s")

RELEASE_RE = re.compile(r"(\d+) cells and margins: (\d+) published, (\d+) suppressed \((\d+) by the primary rules, "
                        r"(\d+) complementary")


def ours_release_summary(stdout: str) -> dict:
    """From `release build`'s report: `N cells and margins: P published, S suppressed (A by the primary rules, B …`."""
    m = RELEASE_RE.search(stdout)
    if not m:
        return {}
    n, p, s, a, b = map(int, m.groups())
    return {"cells_and_margins": n, "cells_published": p, "cells_suppressed": s, "primary": a, "complementary": b}


SIX = ["input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens", "cost_usd_est", "sessions"]
COUNTERS = ["members", "member_days", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_creation_tokens", "cost_usd_est", "sessions"]


def flatten(d: dict, into: dict | None = None) -> dict:
    into = {} if into is None else into
    for k, v in d.items():
        if isinstance(v, dict):
            flatten(v, into)
        else:
            into.setdefault(k, v)
    return into


def crosscheck_release(ours_path: str, duckdb_csv: str) -> dict:
    """Every cell ours publishes must be a k >= 5 cell of DuckDB's with the same members and sums.

    The release document's cells are found by shape (a list of objects naming tool and model), so this keeps
    working while the format settles; a cell without a `members` value counts as suppressed."""
    import csv
    from decimal import Decimal
    try:
        with open(ours_path, "rb") as f:
            doc = json.loads(f.read())
    except (OSError, ValueError) as e:
        return {"error": f"cannot read ours: {e}"}
    cells = doc.get("cells") if isinstance(doc, dict) else None
    if isinstance(cells, dict):
        cells = list(cells.values())
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        return {"error": "no list of cells in the release document"}
    with open(duckdb_csv, newline="") as f:
        peer = {(r["tool"], r["model"]): r for r in csv.DictReader(f)}
    published = suppressed = agree = 0
    problems: list[str] = []
    for cell in cells:
        c = flatten(cell)
        key = (c.get("tool"), c.get("model"))
        if c.get("members") is None:
            suppressed += 1
            continue
        published += 1
        row = peer.get(key)
        if row is None:
            problems.append(f"{key[0]} × {key[1]} published by ours, not a k>=5 cell for DuckDB")
            continue
        diff = [k for k in COUNTERS if k in c and Decimal(str(c[k])) != Decimal(row[k])]
        if "cost_usd_cents" in c and Decimal(c["cost_usd_cents"]) != Decimal(row["cost_usd_est"]) * 100:
            diff.append("cost_usd_cents")
        compared = [k for k in COUNTERS if k in c] + (["cost_usd_cents"] if "cost_usd_cents" in c else [])
        if len(compared) < 3:
            problems.append(f"{key[0]} × {key[1]}: no counters found to compare ({sorted(c)})")
            continue
        if diff:
            problems.append(f"{key[0]} × {key[1]}: {', '.join(diff)} differ")
        else:
            agree += 1
    return {"ours_published": published, "ours_suppressed": suppressed, "duckdb_published": len(peer),
            "agree": agree, "problems": problems[:10], "problem_count": len(problems)}


def remove(path: str) -> None:
    if os.path.exists(path):
        os.remove(path)


# ---------------------------------------------------------------------------------------------------------
# Report


def environment(binary: str | None, config: str) -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    from importlib import metadata
    versions = {}
    for dist in ("orjson", "jsonschema-rs", "msgspec", "duckdb", "acro", "pandas"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "cpu": cpu,
            "cores": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
            "peers": versions, "commit": commit, "build": config, "binary": binary}


def ratio(ours: float | None, peer: float | None) -> str:
    return f"{ours / peer:.2f}×" if ours and peer else "–"


def markdown(res: dict) -> str:
    env = res["environment"]
    lines = [f"# Benchmark results {env['date']}", "",
             f"{env['cpu']}, {env['cores']} cores (one used, taskset -c {res['core']}, except the rows marked 'N cores'), kernel {env['kernel']}, "
             f"Python {env['python']}, commit {env['commit']}, our build: {env['build']}. "
             f"Median of {res['repeats']} runs; rates from process CPU time (user + sys).", ""]
    peers = ", ".join(f"{k} {v}" for k, v in env["peers"].items())
    lines += [f"Peers: {peers}.", ""]
    p = res.get("payloads")
    if p:
        ours = p["tools"].get("backpay-verify", {}).get("payloads_per_s")
        lines += [f"## Payloads ({p['payloads']:,} valid payloads, {p['bytes'] / 1e6:.1f} MB)", "",
                  "| tool | valid accepted | invalid rejected | payloads/s | MB/s | µs/payload | wall s | "
                  "peak RSS MB | ours faster by | in-loop payloads/s | ours faster than in-loop by |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name, t in p["tools"].items():
            loop = t.get("loop_payloads_per_s")
            lines.append(
                f"| {name} | {t['accepted_valid']}/{p['payloads']} | {t['rejected_invalid']}/{t['invalid_total']} "
                f"| {t['payloads_per_s']:,.0f} | {t['mb_per_s']:.1f} | {t['us_per_payload']:.2f} | "
                f"{t['wall_s']:.2f} | {t['rss_mb']:.1f} | {ratio(ours, t['payloads_per_s'])} | "
                f"{f'{loop:,.0f}' if loop else '–'} | {ratio(ours, loop)} |")
        lines += ["", "In-loop: the peer's own CPU time for reading and checking, without interpreter start, "
                  "imports and schema compilation (the figure usually quoted for a validator).", ""]
        if "big_file" in p:
            b = p["big_file"]
            lines += [f"Flat memory: `payload --jsonl` on a {b['bytes'] / 1e9:.2f} GB file: peak RSS "
                      f"{b['rss_mb']:.1f} MB, {b['cpu_s']:.1f} s CPU, exit {b['status']}.", ""]
        if "single_file" in p:
            s = p["single_file"]
            lines += [f"Single payload file, process start included: median {s['median_ms']:.2f} ms "
                      f"(min {s['min_ms']:.2f}, max {s['max_ms']:.2f}"
                      + (f", CPU user + sys mean {s['cpu_mean_ms']:.2f}" if "cpu_mean_ms" in s else "")
                      + f"; {s['method']}).", ""]
        names = list(p["tools"])
        lines += ["### Invalid mix: payloads rejected per kind (of 50 each)", "",
                  "| kind | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
        for kind, per in p["invalid_kinds"].items():
            lines.append(f"| {kind} | " + " | ".join(str(per.get(n, "–")) for n in names) + " |")
        lines.append("")
        for m in p["missing"]:
            lines += [f"Not measured: {m}.", ""]
    r = res.get("release")
    if r:
        lines += [f"## Release build, week {WEEK}", "",
                  "| entries | tool | CPU s | wall s | entries/s | peak RSS MB | ours faster by (CPU) | ours faster by "
                  "(wall) | exit | output |",
                  "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for entries, size in r["sizes"].items():
            every = next((n for n in size["tools"] if n.startswith("backpay-verify, ")), None)
            for name, t in size["tools"].items():
                # Runs on every core are compared with ours on every core, the rest with ours on one.
                base = size["tools"].get(every if every and name.endswith(" cores") else "backpay-verify", {})
                ours, ours_wall = base.get("cpu_s"), base.get("wall_s")
                s = t["summary"]
                if "cells_and_margins" in s:
                    shown = (f"{s['cells_published']} of {s['cells_and_margins']} cells and margins published; "
                             f"{s['primary']} primary + {s['complementary']} complementary suppressions")
                else:
                    shown = ", ".join(f"{k} {v}" for k, v in s.items() if k.startswith("cells") or k == "counters")
                lines.append(f"| {int(entries):,} | {name} | {t['cpu_s']:.2f} | {t['wall_s']:.2f} | "
                             f"{t['entries_per_s']:,.0f} | {t['rss_mb']:.0f} | "
                             f"{ratio(t['cpu_s'], ours)} | {ratio(t['wall_s'], ours_wall)} | {t['status']} | "
                             f"{shown} |")
        lines.append("")
        for entries, size in r["sizes"].items():
            lines.append(f"- {int(entries):,} entries: {size['info']}; payload JSONL "
                         f"{size['payload_bytes'] / 1e6:.0f} MB, flat CSV {size['flat_bytes'] / 1e6:.0f} MB.")
            if "crosscheck" in size:
                lines.append(f"  Cross-check of ours against DuckDB's k ≥ 5 cells: {json.dumps(size['crosscheck'])}")
            f2, duck = size["tools"].get(FORMAT2), size["tools"].get("duckdb")
            if f2 and duck and f2["ok"]:
                phases = size.get("format2_phases")
                share = (f"; of one `--verbose` build, {phases['protect_s']:.2f} s protecting the table, "
                         f"{phases['read_s']:.2f} s reading and summing" if phases else "")
                lines.append(f"  Format 2 (`backpay-attacker/2`) on one core: {f2['cpu_s']:.2f} s CPU, "
                             f"{f2['cpu_s'] / duck['cpu_s']:.2f}× DuckDB's bare k ≥ 5 query{share}.")
            if "audit" in size:
                a = size["audit"]
                lines.append(f"  `release audit` of ours' output: {a['cpu_s']:.3f} s CPU, {a['wall_s']:.3f} s wall, "
                             f"{a['rss_mb']:.0f} MB, exit {a['status']}")
            if "ours_command" in size:
                lines.append(f"  Ours not measured (command missing); it will run: `{size['ours_command']}`")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", choices=["payloads", "release", "all"], default="all")
    ap.add_argument("--quick", action="store_true", help="small sizes, one repeat, debug build (a smoke test)")
    ap.add_argument("--repeats", type=int)
    ap.add_argument("--acro-repeats", type=int, default=1)
    ap.add_argument("--skip-acro", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--payloads", type=int)
    ap.add_argument("--entries", type=int, nargs="+")
    ap.add_argument("--big-bytes", type=int)
    ap.add_argument("--latency-runs", type=int, default=50)
    ap.add_argument("--core", default="0")
    ap.add_argument("--one-core", action="store_true", help="skip the release runs on every core")
    ap.add_argument("--config", choices=["release", "debug"])
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--release-args", default="", help="extra release build arguments, e.g. \"--release-format 2\"")
    ap.add_argument("--bin", help="use this backpay-verify binary (implies --no-build)")
    ap.add_argument("--render", metavar="RESULTS_JSON", help="only rewrite the Markdown of an earlier run")
    args = ap.parse_args()
    if args.render:
        with open(args.render) as f:
            md = markdown(json.load(f))
        with open(args.render.removesuffix(".json") + ".md", "w") as f:
            f.write(md + "\n")
        print(md)
        return 0
    RELEASE_ARGS.extend(args.release_args.split())
    args.repeats = args.repeats or (1 if args.quick else 5)
    args.payloads = args.payloads or (5_000 if args.quick else 100_000)
    args.entries = args.entries or ([20_000] if args.quick else [1_000_000, 10_000_000])
    args.big_bytes = args.big_bytes or (20_000_000 if args.quick else 1_000_000_000)
    args.config = args.config or ("debug" if args.quick else "release")
    if args.quick:
        args.latency_runs = min(args.latency_runs, 10)

    for tool in ("taskset", "/usr/bin/time"):
        if not shutil.which(tool):
            raise SystemExit(f"run.py: {tool} is missing (apt-get install util-linux time)")
    os.makedirs(OUT, exist_ok=True)

    binary = args.bin
    if binary is None and not args.no_build:
        binary = build_ours(args.config)
    elif binary is None:
        bin_dir = subprocess.run(["swift", "build", "-c", args.config, "--show-bin-path"], cwd=ROOT,
                                 capture_output=True, text=True).stdout.strip()
        binary = os.path.join(bin_dir, "backpay-verify")

    res: dict = {"environment": environment(binary, args.config), "core": args.core, "repeats": args.repeats,
                 "quick": args.quick}
    if args.suite in ("payloads", "all"):
        ours = binary if has_command(binary, "payload") else None
        res["payloads"] = suite_payloads(args, ours)
    if args.suite in ("release", "all"):
        ours = binary if has_command(binary, "release", "build") else None
        res["release"] = suite_release(args, ours)

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = f"results-{args.suite}{'-quick' if args.quick else ''}-{stamp}"
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(res, f, indent=1)
    md = markdown(res)
    with open(os.path.join(OUT, name + ".md"), "w") as f:
        f.write(md + "\n")
    print("\n" + md)
    print(f"written: Benchmarks/out/{name}.json and .md")
    return verdict(res)


def verdict(res: dict) -> int:
    """Non-zero when a tool failed to accept valid data or a run crashed: a benchmark must not hide that."""
    bad = []
    p = res.get("payloads")
    if p:
        for name, t in p["tools"].items():
            if t["accepted_valid"] != p["payloads"]:
                bad.append(f"{name} accepted {t['accepted_valid']} of {p['payloads']} valid payloads")
            if t.get("not_canonical"):
                bad.append(f"{name} found {t['not_canonical']} generated payloads not canonical (generator bug?)")
            if t["rejected_invalid"] == 0:
                bad.append(f"{name} rejected none of the invalid mix")
        if "big_file" in p and p["big_file"]["status"] != 0:
            bad.append(f"backpay-verify exited {p['big_file']['status']} on the big file")
    r = res.get("release")
    if r:
        for entries, size in r["sizes"].items():
            for name, t in size["tools"].items():
                if not t["ok"]:
                    bad.append(f"{name} exited {t['status']} on {entries} entries")
            cc = size.get("crosscheck", {})
            if cc.get("error") or cc.get("problem_count"):
                bad.append(f"ours disagrees with DuckDB on {entries} entries: {cc.get('error') or cc['problems']}")
    for b in bad:
        print(f"run.py: {b}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
