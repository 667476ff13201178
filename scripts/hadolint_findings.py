#!/usr/bin/env python3
"""Run hadolint over many Dockerfiles and cache every finding per file.

Shared by scripts/hadolint_scan.py (parse failures) and scripts/parity.py
(all findings), so CI runs hadolint over the corpus once.

hadolint runs with an empty config (`--config` pointing at `{}`, so no
~/.config/hadolint.yaml or ./.hadolint.yaml) and every HADOLINT_* variable
removed, in batches (`--no-fail --no-color --format json`, several files per
call, `jobs` calls at a time). `--no-fail` keeps the exit status 0 when
findings exist, so a non-zero status means hadolint itself failed (e.g. an
unreadable file); the batch is then retried file by file. hadolint 2.15.1
reports a file it cannot parse as a single DL1000 finding.

Cache: DIR/findings.jsonl, one line {"key", "findings"} per file content,
key = SHA-256 of hadolint's version line + NUL + the file's bytes; findings
are hadolint's JSON entries without "file". Appended after every batch, so an
interrupted run keeps its progress.
"""
import concurrent.futures
import hashlib
import json
import os
import subprocess
import tempfile

HADOLINT_BATCH = 100


class SetupError(Exception):
    pass


def _run_hadolint(exe, config, env, paths):
    """{path: [finding]} for one call, or None when hadolint itself failed."""
    cmd = [exe, "--no-fail", "--no-color", "--config", config, "--format", "json", "--"] + paths
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        return None
    txt = p.stdout.decode("utf-8", "replace").strip()
    try:
        findings = json.loads(txt) if txt else []
    except ValueError:
        return None
    res = {q: [] for q in paths}
    for f in findings:
        if f.get("file") in res:
            res[f["file"]].append({k: f.get(k) for k in ("code", "line", "column", "level", "message")})
    return res


def hadolint_findings(exe, paths, cache_dir, jobs):
    """{path: [finding] or None (hadolint failed on the file)}, and stats."""
    p = subprocess.run([exe, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    version = p.stdout.decode().strip()
    if p.returncode != 0 or not version:
        raise SetupError("cannot run %s --version" % exe)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    env["NO_COLOR"] = "1"

    keys = {}
    for q in paths:
        h = hashlib.sha256(("%s\0" % version).encode())
        with open(q, "rb") as f:
            h.update(f.read())
        keys[q] = h.hexdigest()

    cache = {}
    cache_file = None
    if cache_dir:
        os.makedirs(cache_dir, exist_ok=True)
        cache_file = os.path.join(cache_dir, "findings.jsonl")
        if os.path.exists(cache_file):
            with open(cache_file, encoding="utf-8") as f:
                for line in f:
                    try:
                        o = json.loads(line)
                        cache[o["key"]] = o["findings"]
                    except (ValueError, KeyError, TypeError):
                        pass  # a torn last line from an interrupted run

    todo = sorted({q for q in paths if keys[q] not in cache})
    # Identical contents need one run: lint one path per key.
    seen, uniq = set(), []
    for q in todo:
        if keys[q] not in seen:
            seen.add(keys[q])
            uniq.append(q)
    failed = set()
    if uniq:
        fd, config = tempfile.mkstemp(suffix=".yaml")
        os.write(fd, b"{}\n")
        os.close(fd)
        out = open(cache_file, "a", encoding="utf-8") if cache_file else None
        try:
            batches = [uniq[i:i + HADOLINT_BATCH] for i in range(0, len(uniq), HADOLINT_BATCH)]

            def work(batch):
                r = _run_hadolint(exe, config, env, batch)
                if r is None:  # isolate the file hadolint fails on
                    r = {}
                    for q in batch:
                        one = _run_hadolint(exe, config, env, [q])
                        r[q] = one[q] if one is not None else None
                return r

            with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as ex:
                for r in ex.map(work, batches):
                    for q, fs in r.items():
                        if fs is None:
                            failed.add(keys[q])
                            continue
                        cache[keys[q]] = fs
                        if out:
                            out.write(json.dumps({"key": keys[q], "findings": fs},
                                                 ensure_ascii=False, sort_keys=True) + "\n")
                    if out:
                        out.flush()
        finally:
            os.unlink(config)
            if out:
                out.close()
    res = {q: (None if keys[q] in failed else cache[keys[q]]) for q in paths}
    return res, {"version": version, "linted": len(uniq), "cached": len(paths) - len(todo)}
