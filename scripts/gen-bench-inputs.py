#!/usr/bin/env python3
"""Generate large parser benchmark inputs (deterministic; MB = 10^6 bytes).

  big-<S>mb.Dockerfile        corpus files concatenated (sorted by id, cycled)
                              until the size reaches S MB (ends on a file
                              boundary, so slightly above S MB)
  continued-<S>mb.Dockerfile  FROM + ONE RUN whose logical line, made of
                              `  && echo line0000001 \\` continuation lines,
                              is S MB long
  longline-<S>mb.Dockerfile   FROM + ONE RUN on a single physical line of
                              S MB. NB: BuildKit (and the v0.12.5 oracle)
                              rejects physical lines longer than 65535 bytes
                              ("dockerfile line greater than max allowed size
                              of 65535"), so this input is a parse *error*.

usage: gen-bench-inputs.py [--corpus DIR] [--out-dir DIR] [--sizes 1,10,50]
                           [--continued-sizes 1,10] [--long-line-sizes 1]
                           [--no-oracle] [--force]

Corpus files used for big-*: only those the parse oracle (PyPI
dockerfile==3.4.0) accepts, minus files with an `escape` parser directive
(their continuation character would change meaning mid-file), with a BOM
stripped and a final newline added. Needs the `dockerfile` module (run with
the scripts/lib/venv.sh venv python) unless --no-oracle, which skips the
acceptance filter (then a corpus file the oracle rejects may slip in).
With the oracle available, each big-* file up to 10 MB and each continued-*
file up to 1 MB is checked to parse (the oracle is quadratic on long
continued lines: ~10 s for 1 MB). Existing outputs are kept unless --force.
"""
import argparse
import os
import re
import sys

MB = 1000 * 1000
ESCAPE_RE = re.compile(rb"^\s*#\s*escape\s*=", re.I | re.M)


def sizes(s):
    return [float(x) for x in s.split(",") if x.strip()] if s else []


def name(prefix, s):
    return "%s-%smb.Dockerfile" % (prefix, ("%g" % s).replace(".", "p"))


def corpus_pieces(corpus, use_oracle):
    dockerfile = None
    if use_oracle:
        try:
            import dockerfile  # type: ignore
        except ImportError:
            sys.exit("gen-bench-inputs: module 'dockerfile' missing; run with the venv "
                     "python (scripts/lib/venv.sh) or pass --no-oracle")
    pieces = []
    for fn in sorted(os.listdir(corpus)):
        if not fn.endswith(".Dockerfile"):
            continue
        path = os.path.join(corpus, fn)
        with open(path, "rb") as f:
            data = f.read()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        head = b"\n".join(data.split(b"\n")[:5])
        if ESCAPE_RE.search(head):
            continue
        if dockerfile is not None:
            try:
                dockerfile.parse_file(path)
            except Exception:
                continue
        if not data.endswith(b"\n"):
            data += b"\n"
        pieces.append(data)
    if not pieces:
        sys.exit("gen-bench-inputs: no usable corpus files in %s" % corpus)
    return pieces, dockerfile


def write_big(path, pieces, target):
    total = 0
    i = 0
    with open(path, "wb") as f:
        while total < target:
            p = pieces[i % len(pieces)]
            f.write(p)
            total += len(p)
            i += 1
    return total


def write_continued(path, target):
    head = b"FROM scratch\nRUN echo start \\\n"
    tail = b"  && echo end\n"
    total = len(head) + len(tail)
    n = 0
    with open(path, "wb") as f:
        f.write(head)
        while total < target:
            line = b"  && echo line%07d \\\n" % n
            f.write(line)
            total += len(line)
            n += 1
        f.write(tail)
    return total


def write_longline(path, target):
    head = b"FROM scratch\nRUN echo"
    words = [b" alpha", b" beta", b" gamma", b" delta", b" --flag=value", b" 'quoted word'", b" $VAR"]
    total = len(head) + 1
    chunks = []
    i = 0
    while total < target:
        w = words[i % len(words)]
        chunks.append(w)
        total += len(w)
        i += 1
    with open(path, "wb") as f:
        f.write(head + b"".join(chunks) + b"\n")
    return total


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(repo, "..", "shared", "corpus", "files"))
    ap.add_argument("--out-dir", default=os.path.join(repo, ".build", "bench"))
    ap.add_argument("--sizes", default="1,10,50")
    ap.add_argument("--continued-sizes", default="1,10")
    ap.add_argument("--long-line-sizes", default="1")
    ap.add_argument("--no-oracle", action="store_true")
    ap.add_argument("--force", action="store_true")
    ns = ap.parse_args()
    os.makedirs(ns.out_dir, exist_ok=True)

    pieces = oracle = None
    jobs = []  # (path, writer, verify)
    for s in sizes(ns.sizes):
        jobs.append((name("big", s), "big", s, s <= 10))
    for s in sizes(ns.continued_sizes):
        jobs.append((name("continued", s), "continued", s, s <= 1))
    for s in sizes(ns.long_line_sizes):
        jobs.append((name("longline", s), "longline", s, False))

    for fn, kind, s, verify in jobs:
        path = os.path.join(ns.out_dir, fn)
        if os.path.exists(path) and not ns.force:
            print("kept      %s (%d bytes)" % (path, os.path.getsize(path)))
            continue
        target = int(s * MB)
        tmp = path + ".tmp"
        if kind == "big":
            if pieces is None:
                pieces, oracle = corpus_pieces(ns.corpus, not ns.no_oracle)
            n = write_big(tmp, pieces, target)
        elif kind == "continued":
            n = write_continued(tmp, target)
        else:
            n = write_longline(tmp, target)
        if verify and not ns.no_oracle:
            if oracle is None:
                try:
                    import dockerfile as oracle  # type: ignore
                except ImportError:
                    sys.exit("gen-bench-inputs: module 'dockerfile' missing (or pass --no-oracle)")
            try:
                oracle.parse_file(tmp)
            except Exception as e:
                os.unlink(tmp)
                sys.exit("gen-bench-inputs: generated %s does not parse: %s" % (fn, e))
        os.replace(tmp, path)
        print("generated %s (%d bytes)" % (path, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
