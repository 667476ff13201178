#!/usr/bin/env python3
"""Latency of `dockwright server`, driven over stdio as an editor drives it.

  change-300    a 300-line Dockerfile is opened, then edited N times (one
                incremental change each, waiting for its diagnostics); the
                time from sending a didChange to receiving the
                publishDiagnostics of that version: median, p90, max.
  corpus-300    the same on five real Dockerfiles of 280-320 lines from
                ../shared/corpus (when present; read, never copied).
  anchor        the 300-line file linted by spawning `dockwright lint -` once
                per change (what a CLI-based editor plugin does): median.
  1mb-open      a 1 MB Dockerfile is opened and edited; meanwhile hover
                requests on a small document are sent every 20 ms: the
                slowest hover answer, and when the 1 MB diagnostics arrive.

usage: scripts/bench-server.py [DOCKWRIGHT_BIN] [--changes N]
  DOCKWRIGHT_BIN  default .build/release/dockwright (build it with
                  `swift build -c release --product dockwright`)
A benchmark, not a test: it prints numbers and fails only when the server
does not answer. Inputs are generated (deterministic), not read from a corpus.
"""
import json
import os
import statistics
import subprocess
import sys
import threading
import time

STAGE = """# stage {i}: the service-{i} build
FROM node:20.11-bookworm AS build{i}
ARG VERSION=1.{i}.0
ENV NODE_ENV=production \\
    PORT=80{i:02d}
WORKDIR /src/service{i}
RUN apt-get update && apt-get install -y curl git ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
ADD . .
RUN npm run build -- --env $VERSION
RUN cd /src/service{i} && npm test
MAINTAINER team{i}@example.com
USER root
EXPOSE 80{i:02d}
HEALTHCHECK --interval=30s CMD curl -f http://localhost:80{i:02d}/ || exit 1

FROM debian:12 AS runtime{i}
RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.0-1 \\
    && apt-get clean
COPY --from=build{i} /src/service{i}/dist /app
WORKDIR /app
ENV PATH=/app/bin:$PATH
LABEL org.opencontainers.image.title="service-{i}"
RUN useradd --create-home app{i}
USER app{i}
ENTRYPOINT ["tini", "--"]
CMD node server.js

"""


def dockerfile(lines):
    text = ""
    i = 0
    while text.count("\n") < lines:
        text += STAGE.format(i=i % 100)
        i += 1
    return "\n".join(text.split("\n")[:lines]) + "\n"


def dockerfile_bytes(size):
    text = ""
    chunk = dockerfile(3000)
    while len(text.encode()) < size:
        text += chunk
    return text


class Server:
    def __init__(self, binary):
        self.process = subprocess.Popen([binary, "server", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.lock = threading.Condition()
        self.messages = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                headers[name.lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            message = json.loads(body)
            with self.lock:
                self.messages.append((time.perf_counter(), message))
                self.lock.notify_all()

    def cpu_seconds(self):
        """The server's user and system CPU time so far (Linux /proc), so numbers on a
        busy machine can be read next to the wall-clock ones."""
        try:
            with open("/proc/%d/stat" % self.process.pid) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return 0.0

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return time.perf_counter()

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        sent = self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return request_id, sent

    def wait(self, predicate, timeout=60):
        deadline = time.perf_counter() + timeout
        with self.lock:
            while True:
                for index, (at, message) in enumerate(self.messages):
                    if predicate(message):
                        del self.messages[index]
                        return at, message
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    sys.exit("bench-server: the server did not answer in %d s" % timeout)
                self.lock.wait(remaining)

    def published(self, uri, version):
        return lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri \
            and m["params"].get("version") == version

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=10)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    args = sys.argv[1:]
    changes = 200
    if "--changes" in args:
        index = args.index("--changes")
        changes = int(args[index + 1])
        del args[index:index + 2]
    binary = args[0] if args else ".build/release/dockwright"
    if not os.access(binary, os.X_OK):
        sys.exit("bench-server: %s is not executable" % binary)

    server = Server(binary)
    server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    server.wait(lambda m: m.get("id") == 1)
    server.notify("initialized", {})

    # change-300
    text = dockerfile(300)
    uri = "untitled:bench-300/Dockerfile"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
    _, first = server.wait(server.published(uri, 1))
    latencies = []
    cpu_before = server.cpu_seconds()
    line = text.split("\n").index("RUN npm ci --omit=dev")
    current = "RUN npm ci --omit=dev"
    for version in range(2, changes + 2):
        # Toggle a flag on one RUN line: the findings change with it.
        new_line = "RUN npm ci --omit=dev" + (" --ignore-scripts" if version % 2 == 0 else "")
        sent = server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": len(current)}},
                                "text": new_line}],
        })
        current = new_line
        received, _ = server.wait(server.published(uri, version))
        latencies.append((received - sent) * 1000)
    cpu_per_change = (server.cpu_seconds() - cpu_before) / changes * 1000
    print("change-300: %d lines, %d findings, %d changes: median %.2f ms, p90 %.2f ms, max %.2f ms; "
          "server CPU %.2f ms per change" % (
              text.count("\n"), len(first["params"]["diagnostics"]), changes, statistics.median(latencies),
              percentile(latencies, 0.9), max(latencies), cpu_per_change))

    # corpus-300: real Dockerfiles of about 300 lines, a comment line added and removed
    corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "corpus", "files")
    if os.path.isdir(corpus):
        picked = []
        for name in sorted(os.listdir(corpus)):
            with open(os.path.join(corpus, name), "rb") as handle:
                data = handle.read()
            if 280 <= data.count(b"\n") <= 320 and b"\r" not in data:
                picked.append((name, data.decode("utf-8", "replace")))
            if len(picked) == 5:
                break
        corpus_latencies = []
        cpu_before = server.cpu_seconds()
        for name, body in picked:
            real = "untitled:corpus/" + name
            server.notify("textDocument/didOpen", {"textDocument": {"uri": real, "languageId": "dockerfile", "version": 1, "text": body}})
            server.wait(server.published(real, 1))
            last = body.count("\n")
            for version in range(2, 62):
                if version % 2 == 0:
                    edit = {"range": {"start": {"line": last, "character": 0}, "end": {"line": last, "character": 0}}, "text": "# edit\n"}
                else:
                    edit = {"range": {"start": {"line": last, "character": 0}, "end": {"line": last + 1, "character": 0}}, "text": ""}
                sent = server.notify("textDocument/didChange", {"textDocument": {"uri": real, "version": version}, "contentChanges": [edit]})
                received, _ = server.wait(server.published(real, version))
                corpus_latencies.append((received - sent) * 1000)
        if corpus_latencies:
            print("corpus-300: %d corpus files of 280-320 lines, %d changes: median %.2f ms, p90 %.2f ms; server CPU %.2f ms per change" % (
                len(picked), len(corpus_latencies), statistics.median(corpus_latencies), percentile(corpus_latencies, 0.9),
                (server.cpu_seconds() - cpu_before) / len(corpus_latencies) * 1000))

    # anchor: one process per change
    spawns = []
    for _ in range(20):
        started = time.perf_counter()
        subprocess.run([binary, "lint", "--format", "json", "-"], input=text.encode(), stdout=subprocess.DEVNULL, check=False)
        spawns.append((time.perf_counter() - started) * 1000)
    print("anchor: `dockwright lint -` per change: median %.2f ms (%.1fx the server's median)" % (
        statistics.median(spawns), statistics.median(spawns) / statistics.median(latencies)))

    # 1mb-open
    small = "untitled:bench-small/Dockerfile"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": small, "languageId": "dockerfile", "version": 1, "text": "FROM debian:12\nADD a /a\n"}})
    server.wait(server.published(small, 1))
    big_text = dockerfile_bytes(1_000_000)
    big = "untitled:bench-1mb/Dockerfile"
    opened = server.notify("textDocument/didOpen", {"textDocument": {"uri": big, "languageId": "dockerfile", "version": 1, "text": big_text}})
    server.notify("textDocument/didChange", {"textDocument": {"uri": big, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "# edited\n"}]})
    hovers = []
    done = {}

    def big_published(message):
        return server.published(big, 2)(message)

    while "at" not in done:
        request_id, sent = server.request("textDocument/hover", {"textDocument": {"uri": small}, "position": {"line": 1, "character": 1}})
        received, _ = server.wait(lambda m, request_id=request_id: m.get("id") == request_id)
        hovers.append((received - sent) * 1000)
        with server.lock:
            for at, message in server.messages:
                if big_published(message):
                    done["at"] = at
                    done["count"] = len(message["params"]["diagnostics"])
        time.sleep(0.02)
    print("load average at the end: %.1f (2 cores)" % os.getloadavg()[0])
    print("1mb-open: %d bytes, %d lines: diagnostics after %.0f ms (%d findings); %d hovers meanwhile, slowest %.1f ms" % (
        len(big_text.encode()), big_text.count("\n"), (done["at"] - opened) * 1000, done["count"], len(hovers), max(hovers)))
    server.close()


if __name__ == "__main__":
    main()
