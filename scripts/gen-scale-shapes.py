#!/usr/bin/env python3
"""Generate one Dockerfile of a given shape and size for scripts/bench-scale.sh.

usage: gen-scale-shapes.py SHAPE BYTES OUT

Each shape repeats one unit until the file reaches BYTES (10^6 bytes = 1 MB), so
inputs of two sizes differ only in how many units they hold:

  stages    FROM ubuntu:24.04 AS sN / ADD fN /f / RUN apt-get update / RUN echo N
  heredoc   one RUN <<EOF whose body is `apt-get install -y pkgN && echo N` lines
  env       one stage of `ENV AN=N` lines
  arg       `ARG AN=N` lines before the first FROM, and a stage that uses the last
  small     one stage of small instructions of every kind, in turn
  and-run   one RUN of `&& echo N` continuation lines
  nesting   one RUN of `echo $(echo $(… x …))`, nested as deep as the size allows
  installs  one stage of `RUN apt-get install -y pN` lines (each RUN may carry the
            ones above it: DW002's walk, DW003's installed packages)
  copy-installs
            one stage of `COPY fN /opt/fN` / `RUN apt-get install -y pN` pairs (each
            install can move above every COPY: DW002's walk was cubic here)
  workdirs  one stage of relative `WORKDIR dN` / `COPY xN .` pairs (the folder grows
            with every WORKDIR: each rule that places a COPY reads it)
  user-installs
            one stage of `USER uN` / `RUN apt-get update && apt-get install -y xN` pairs
  env-grows one stage of `ENV A=${A}b` lines (each value is one byte longer than the last)
  env-doubles
            one stage of `ENV A=${A}${A}` lines (each value twice the last: stopped by
            the expander's substitution limit)
  run-doubles
            one RUN of `A=$A$A;` commands (the same doubling inside a script)
  long-value
            a 60 KB ENV value, then `COPY $A /dN` / `RUN echo $A > /fN` pairs (each
            reference would copy the whole value)
"""
import sys


def units(shape):
    """(head, unit(n), tail) for a shape."""
    if shape == "stages":
        return "", lambda n: f"FROM ubuntu:24.04 AS s{n}\nADD f{n} /f\nRUN apt-get update\nRUN echo {n}\n", ""
    if shape == "heredoc":
        return ("FROM ubuntu:24.04\nRUN <<EOF\n", lambda n: f"apt-get install -y pkg{n} && echo {n}\n",
                "EOF\n")
    if shape == "env":
        return "FROM alpine:3.20\n", lambda n: f"ENV A{n}={n}\n", ""
    if shape == "arg":
        return "", lambda n: f"ARG A{n}={n}\n", "FROM alpine:3.20\nARG A1\nRUN echo $A1\n"
    if shape == "small":
        kinds = [
            lambda n: f"RUN echo {n}\n", lambda n: f"WORKDIR /w{n}\n", lambda n: f"LABEL k{n}=v{n}\n",
            lambda n: f"EXPOSE {n % 60000 + 1}\n", lambda n: f"COPY a{n} /b/\n", lambda n: f"USER u{n}\n",
            lambda n: f"ENV E{n}=x\n", lambda n: f"ARG G{n}\n", lambda n: f'CMD ["run", "{n}"]\n',
            lambda n: "HEALTHCHECK NONE\n", lambda n: "STOPSIGNAL SIGTERM\n", lambda n: f"VOLUME /v{n}\n",
        ]
        return "FROM alpine:3.20\n", lambda n: kinds[n % len(kinds)](n), ""
    if shape == "and-run":
        return "FROM alpine:3.20\nRUN true", lambda n: f" \\\n  && echo line{n}", "\n"
    if shape == "nesting":
        # Continuation lines keep every physical line short (BuildKit refuses lines
        # over 64 KiB); the parentheses close on lines of 1,000.
        return "FROM alpine:3.20\nRUN echo ", lambda n: "$(echo \\\n", None
    if shape == "installs":
        return "FROM debian:12\n", lambda n: f"RUN apt-get install -y p{n}\n", ""
    if shape == "copy-installs":
        return "FROM debian:12\n", lambda n: f"COPY f{n} /opt/f{n}\nRUN apt-get install -y p{n}\n", ""
    if shape == "workdirs":
        return "FROM debian:12\n", lambda n: f"WORKDIR d{n}\nCOPY x{n} .\n", ""
    if shape == "user-installs":
        return ("FROM debian:12\n",
                lambda n: f"USER u{n}\nRUN apt-get update && apt-get install -y x{n}\n", "")
    if shape == "env-grows":
        return "FROM alpine:3.20\nENV A=a\n", lambda n: "ENV A=${A}b\n", "RUN echo $A\n"
    if shape == "run-doubles":
        return "FROM alpine:3.20\nRUN A=a", lambda n: "; \\\n  A=$A$A", "; echo $A\n"
    if shape == "long-value":
        return ("FROM alpine:3.20\nENV A=" + "x" * 60_000 + "\n",
                lambda n: f"COPY $A /d{n}\nRUN echo $A > /f{n}\n", "")
    if shape == "env-doubles":
        return "FROM alpine:3.20\nENV A=a\n", lambda n: "ENV A=${A}${A}\n", "RUN echo $A\n"
    sys.exit(f"gen-scale-shapes: unknown shape '{shape}'")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    shape, size, out = sys.argv[1], int(float(sys.argv[2])), sys.argv[3]
    head, unit, tail = units(shape)
    parts = [head]
    total = len(head)
    count = 0
    while total < size:
        piece = unit(count)
        parts.append(piece)
        total += len(piece) + (1 if tail is None else 0)  # nesting: its `)`
        count += 1
    if tail is None:  # nesting: close every `$(` opened
        closing = ")" * count
        parts.append("x" + " \\\n".join(closing[i:i + 1000] for i in range(0, count, 1000)) + "\n")
    else:
        parts.append(tail)
    with open(out, "w") as f:
        f.write("".join(parts))


if __name__ == "__main__":
    main()
