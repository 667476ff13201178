#!/usr/bin/env python3
"""Random protocol traffic against `dockwright server`: every method it serves (and
unknown ones) with parameters of every shape, out-of-range and negative positions,
lone surrogates in documents, unframeable headers and bodies that are not JSON, then
shutdown and exit. The server must answer the final shutdown and exit with status 0
or 1 (never crash, hang or die of a signal).

usage: scripts/fuzz-server.py [DOCKWRIGHT_BIN] [SEEDS]
  DOCKWRIGHT_BIN  default .build/release/dockwright
  SEEDS           how many seeds to run, from 1 (default 20); deterministic per seed
Exit 1 on the first failing seed, which is printed.
"""
import json
import random
import subprocess
import sys

methods = ["textDocument/didOpen","textDocument/didChange","textDocument/hover","textDocument/codeAction","textDocument/formatting",
  "textDocument/rangeFormatting","textDocument/diagnostic","textDocument/didClose","textDocument/didSave","codeAction/resolve",
  "workspace/didChangeConfiguration","workspace/didChangeWatchedFiles","$/cancelRequest","bogus"]
texts = ["FROM debian:12\nADD a /a\n", "# \ud800 😀é\r\nFROM x AS y\r\nRUN apt-get install curl\r\nONBUILD ADD . /\n", "RUN <<EOF\nx\nEOF\n", "\\\n\n#", ""]
def rnd():
    r = random.random()
    if r < 0.2: return random.randint(-5, 1 << 40)
    if r < 0.3: return None
    if r < 0.5: return random.choice(texts)
    if r < 0.6: return {"line": random.randint(-1, 6), "character": random.randint(-1, 40)}
    if r < 0.7: return [rnd() for _ in range(random.randint(0, 3))]
    return {"start": {"line": random.randint(0, 5), "character": random.randint(0, 30)}, "end": {"line": random.randint(0, 5), "character": random.randint(0, 30)}}
def params():
    uri = random.choice(["untitled:a", "untitled:b", "file:///tmp/x%20y/Dockerfile", 5])
    p = {"textDocument": {"uri": uri, "version": random.randint(-1, 20), "text": random.choice(texts)}, "position": rnd(), "range": rnd(),
         "contentChanges": [{"range": rnd(), "text": random.choice(texts)} if random.random() < .7 else {"text": rnd()}],
         "context": {"only": random.choice([None, ["quickfix"], ["source"], ["source.fixAll"], 3])}, "kind": random.choice(["source.fixAll.dockwright", "x"]),
         "data": {"uri": uri}, "settings": {"dockwright": {"ignore": rnd(), "severity": rnd(), "unsafeFixes": rnd()}}, "id": random.randint(0, 50)}
    if random.random() < 0.2: p = rnd()
    return p
def run_seed(B, seed):
    random.seed(seed)
    out = b""
    def frame(m):
        b = json.dumps(m).encode() if not isinstance(m, bytes) else m
        return b"Content-Length: %d\r\n\r\n" % len(b) + b
    out += frame({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"capabilities": {"general": {"positionEncodings": random.choice([["utf-8"], ["utf-16"]])}}}})
    out += frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    for i in range(400):
        m = {"jsonrpc": "2.0", "method": random.choice(methods), "params": params()}
        if random.random() < 0.5: m["id"] = i + 1
        if random.random() < 0.03: out += b"Content-Length: 5\r\n\r\n{{{{{"; continue
        if random.random() < 0.02: out += b"garbage\r\n\r\n"; continue
        out += frame(m)
    out += frame({"jsonrpc": "2.0", "id": 9999, "method": "shutdown"}) + frame({"jsonrpc": "2.0", "method": "exit"})
    try:
        r = subprocess.run([B, "server"], input=out, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return "seed %d: no exit within 120 s" % seed
    if r.returncode not in (0, 1) or b'"id":9999' not in r.stdout:
        return "seed %d: exit status %d, shutdown answered: %s, stderr: %r" % (
            seed, r.returncode, b'"id":9999' in r.stdout, r.stderr[-300:])
    return None


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/dockwright"
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    for seed in range(1, seeds + 1):
        problem = run_seed(binary, seed)
        if problem:
            sys.exit("fuzz-server: " + problem)
    print("fuzz-server: %d seeds, the server answered and exited every time" % seeds)


if __name__ == "__main__":
    main()
