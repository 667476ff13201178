@testable import DockwrightServer

/// Shared documents and helpers for the server tests.
enum Fixtures {
    /// A Dockerfile with safe fixes (DL3020, DL4000), unsafe ones (DL3009, DL3015) and
    /// one without a fix (DL3008), after a line of non-ASCII text.
    static let dockerfile = """
        # ünïcödé 😀 comment
        FROM ubuntu:22.04
        ADD app.py /app/
        RUN apt-get update && apt-get install -y curl
        MAINTAINER me
        CMD python /app/app.py

        """

    /// What `dockwright fix -` prints for `dockerfile`.
    static let safelyFixed = """
        # ünïcödé 😀 comment
        FROM ubuntu:22.04
        COPY app.py /app/
        RUN apt-get update && apt-get install -y curl
        LABEL org.opencontainers.image.authors="me"
        CMD python /app/app.py

        """

    /// What `dockwright fix --unsafe -` prints for `dockerfile`.
    static let unsafelyFixed = """
        # ünïcödé 😀 comment
        FROM ubuntu:22.04
        RUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*
        COPY app.py /app/
        LABEL org.opencontainers.image.authors="me"
        CMD ["python", "/app/app.py"]

        """

    /// A URI no configuration file governs (`/` has no `.dockwright.json`).
    static let uri = "untitled:Dockerfile"

    /// The diagnostics of a publish or pull result, by code.
    static func codes(_ diagnostics: JSONValue?) -> [String] {
        (diagnostics?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
    }

    /// Applies LSP text edits (positions in UTF-16, or UTF-8 when `utf8`) to a text.
    static func apply(_ edits: JSONValue?, to text: String, utf8: Bool = false) -> String {
        let document = TextDocument(uri: "x", text: text, version: 0, generation: 0)
        let encoding: PositionEncoding = utf8 ? .utf8 : .utf16
        let changes = (edits?.arrayValue ?? []).compactMap { edit -> (Int, Int, String)? in
            guard let range = document.range(edit["range"], encoding), let newText = edit["newText"]?.stringValue else { return nil }
            return (range.start, range.end, newText)
        }.sorted { $0.0 > $1.0 }
        var bytes = Array(text.utf8)
        for (start, end, newText) in changes { bytes.replaceSubrange(start..<end, with: Array(newText.utf8)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The edits of a code action's workspace edit for `uri`.
    static func edits(of action: JSONValue?, uri: String) -> JSONValue? {
        if let changes = action?["edit"]?["changes"]?[uri] { return changes }
        return action?["edit"]?["documentChanges"]?.arrayValue?.first?["edits"]
    }
}
