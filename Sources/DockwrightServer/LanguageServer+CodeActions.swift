import DockwrightCore
import DockwrightSyntax

extension LanguageServer {
    /// The kind of the action that applies every safe fix, as `dockwright fix` does; a
    /// sub-kind of `source.fixAll`, so editors' fix-all-on-save runs it.
    static let fixAllKind = "source.fixAll.dockwright"
    /// The kind of the action that also applies unsafe fixes. It is offered only when
    /// asked for by name or from a menu, never to a plain `source.fixAll` request,
    /// because on-save fix-all must not change what the build does.
    static let unsafeFixAllKind = "source.fixAll.dockwright.unsafe"

    /// `textDocument/codeAction`: a quick fix per fixable finding in the range, an
    /// "ignore" pragma per finding, and the two fix-all source actions.
    func codeActions(_ params: JSONValue) throws(RequestError) -> JSONValue {
        let uri = try documentURI(params)
        guard let (document, analysis) = analysis(of: uri) else { return [] }
        let (encoding, settings) = state.withLock { (self.encoding, linters.settings) }
        guard let range = document.range(params["range"], encoding) else {
            throw .invalidParams("range must be an LSP range inside the document")
        }
        let only = params["context"]?["only"]?.arrayValue?.compactMap(\.stringValue)
        func isRequested(_ kind: String) -> Bool {
            only.map { $0.contains { kind == $0 || kind.hasPrefix($0 + ".") } } ?? true
        }
        var actions: [JSONValue] = []
        if isRequested("quickfix") {
            for diagnostic in analysis.result.diagnostics
            where diagnostic.range.start <= range.end && range.start <= diagnostic.range.end {
                let lsp = lspDiagnostic(diagnostic, in: document, encoding)
                // A fix that only writes another file (the ignore file) is the CLI's to apply.
                if let fix = diagnostic.fix, fix.applicability != .displayOnly, !fix.edits.isEmpty,
                   fix.applicability == .safe || settings.showsUnsafeFixes {
                    let isSafe = fix.applicability == .safe
                    let title = "\(fix.title) (\(diagnostic.code)\(isSafe ? "" : ", unsafe"))"
                    let edits = fix.edits.map { textEdit(document, $0.range, $0.replacement, encoding) }
                    actions.append(action(title, kind: "quickfix", document, edits, diagnostics: [lsp], isPreferred: isSafe))
                }
                if let (insertion, text) = ignoreInsertion(for: diagnostic, in: analysis.result.syntax) {
                    actions.append(action(
                        "Ignore \(diagnostic.code) for this instruction", kind: "quickfix", document,
                        [textEdit(document, insertion, text, encoding)], diagnostics: [lsp], isPreferred: false))
                }
            }
        }
        // A client that resolves actions gets the fix-all edits only when one is chosen:
        // running the fix loop on every cursor move would hold up a large document.
        let resolvesEdits = clientCapabilities["textDocument"]?["codeAction"]?["resolveSupport"]?["properties"]?
            .arrayValue?.contains("edit") == true
        // Only a request naming the unsafe kind (or a broader menu such as `source`)
        // gets it: `source.fixAll` and `source.fixAll.dockwright` are what on-save sends.
        let wantsUnsafe = only.map { kinds in
            kinds.contains { ($0 == "source" || Self.unsafeFixAllKind.hasPrefix($0 + ".") || $0 == Self.unsafeFixAllKind)
                && $0 != "source.fixAll" && $0 != Self.fixAllKind }
        } ?? true
        let fixAlls: [(kind: String, level: Applicability, title: String)] = [
            (Self.fixAllKind, .safe, "Fix all safe dockwright findings"),
            (Self.unsafeFixAllKind, .unsafe, "Fix all dockwright findings, including unsafe fixes"),
        ]
        for (kind, level, title) in fixAlls where isRequested(kind) {
            guard level == .safe || (settings.showsUnsafeFixes && wantsUnsafe) else { continue }
            if resolvesEdits {
                let hasFix = analysis.result.diagnostics.contains {
                    guard let fix = $0.fix, fix.applicability != .displayOnly else { return false }
                    return fix.applicability >= level
                }
                guard hasFix else { continue }
                actions.append(["title": .string(title), "kind": .string(kind), "data": ["uri": .string(uri)]])
            } else if let (document, _, fixed) = fixedBytes(of: uri, level: level), fixed != document.bytes {
                actions.append(action(title, kind: kind, document, diffEdits(document, fixed, encoding), diagnostics: nil, isPreferred: nil))
            }
        }
        return .array(actions)
    }

    /// `codeAction/resolve`: the edits of a fix-all action, computed on the document's
    /// current text (the versioned edit keeps a client from applying them to another).
    func resolveCodeAction(_ params: JSONValue) throws(RequestError) -> JSONValue {
        guard let members = params.objectValue, let kind = members["kind"]?.stringValue,
              let uri = members["data"]?["uri"]?.stringValue else {
            throw .invalidParams("a code action with kind and data.uri")
        }
        guard params["edit"] == nil else { return params }
        let level: Applicability
        switch kind {
        case Self.fixAllKind: level = .safe
        case Self.unsafeFixAllKind: level = .unsafe
        default: throw .invalidParams("only fix-all actions are resolved")
        }
        guard let (document, _, fixed) = fixedBytes(of: uri, level: level) else { throw .invalidParams("\(uri) is not open") }
        let encoding = state.withLock { self.encoding }
        var resolved = members
        resolved["edit"] = workspaceEdit(document, diffEdits(document, fixed, encoding))
        return .object(resolved)
    }

    /// `textDocument/formatting`: the edits that make the document what `dockwright fix -` prints.
    func formatting(_ params: JSONValue) throws(RequestError) -> JSONValue {
        let uri = try documentURI(params)
        guard let (document, _, fixed) = fixedBytes(of: uri, level: .safe) else { return .null }
        let encoding = state.withLock { self.encoding }
        return .array(diffEdits(document, fixed, encoding))
    }

    /// `textDocument/rangeFormatting`: safe fixes whose edits all lie within the
    /// instructions the range touches, repeated to a fixed point as the fix loop does,
    /// through the same `Linter` and `FixApplier`. A pass that would make the file
    /// unparsable is dropped.
    func rangeFormatting(_ params: JSONValue) throws(RequestError) -> JSONValue {
        let uri = try documentURI(params)
        guard let (document, analysis) = analysis(of: uri) else { return .null }
        let encoding = state.withLock { self.encoding }
        guard let range = document.range(params["range"], encoding) else {
            throw .invalidParams("range must be an LSP range inside the document")
        }
        let touched = analysis.result.syntax.instructions.filter {
            $0.range.start < max(range.end, range.start + 1) && range.start < $0.range.end
        }
        guard var start = touched.first?.range.start, var end = touched.last?.range.end else { return [] }
        var bytes = document.bytes
        var result = analysis.result
        let startedWithErrors = result.syntax.hasParserErrors
        for _ in 0..<10 {
            let fixes = result.diagnostics.compactMap { diagnostic -> Fix? in
                guard let fix = diagnostic.fix, fix.applicability == .safe,
                      fix.edits.allSatisfy({ $0.range.start >= start && $0.range.end <= end }) else { return nil }
                return fix
            }
            guard !fixes.isEmpty, !startedWithErrors else { break }
            let (output, applied) = FixApplier.apply(fixes, to: bytes)
            guard !applied.isEmpty, output != bytes else { break }
            let syntax = DockerfileSyntax.parse(SourceFile(path: document.source.path, bytes: output))
            guard !syntax.hasParserErrors else { break }
            // Every applied edit lies inside the span, so only its end moves.
            end += output.count - bytes.count
            start = min(start, end)
            bytes = output
            result = analysis.linter.lint(syntax)
        }
        return .array(diffEdits(document, bytes, encoding))
    }

    // MARK: - Building actions

    private func action(
        _ title: String, kind: String, _ document: TextDocument, _ edits: [JSONValue], diagnostics: [JSONValue]?,
        isPreferred: Bool?
    ) -> JSONValue {
        var members: [String: JSONValue] = ["title": .string(title), "kind": .string(kind), "edit": workspaceEdit(document, edits)]
        if let diagnostics { members["diagnostics"] = .array(diagnostics) }
        if isPreferred == true { members["isPreferred"] = true }
        return .object(members)
    }

    /// A workspace edit of one document: versioned `documentChanges` when the client
    /// takes them (so a stale edit is refused), else `changes`.
    private func workspaceEdit(_ document: TextDocument, _ edits: [JSONValue]) -> JSONValue {
        if clientCapabilities["workspace"]?["workspaceEdit"]?["documentChanges"]?.boolValue == true {
            return ["documentChanges": [[
                "textDocument": ["uri": .string(document.uri), "version": .integer(document.version)],
                "edits": .array(edits),
            ]]]
        }
        return ["changes": [document.uri: .array(edits)]]
    }

    private func textEdit(_ document: TextDocument, _ range: TextRange, _ text: String, _ encoding: PositionEncoding) -> JSONValue {
        ["range": document.json(range, encoding), "newText": .string(text)]
    }

    /// The minimal LSP text edits that turn the document into `new`.
    func diffEdits(_ document: TextDocument, _ new: [UInt8], _ encoding: PositionEncoding) -> [JSONValue] {
        TextDiff.changes(from: document.bytes, to: new).map {
            textEdit(document, $0.range, String(decoding: $0.replacement, as: UTF8.self), encoding)
        }
    }

    /// Where and what to insert so a finding is suppressed for its instruction: the code
    /// added to a pragma already right above it, or a new pragma line in the file's
    /// style (its indentation and line ending; `# hadolint` when the file uses hadolint
    /// pragmas and hadolint knows the code, since hadolint drops a whole pragma naming
    /// a code it does not know).
    func ignoreInsertion(for diagnostic: Diagnostic, in syntax: DockerfileSyntax) -> (TextRange, String)? {
        let code = diagnostic.code
        guard code != Linter.parseErrorCode, code != Linter.buildErrorCode else { return nil }
        let offset = diagnostic.range.start
        guard let index = syntax.items.firstIndex(where: { item in
            guard case .instruction(let instruction) = item else { return false }
            return instruction.range.start <= offset && offset < instruction.range.end
        }), case .instruction(let instruction) = syntax.items[index] else { return nil }
        let bytes = syntax.source.bytes
        let isHadolintCode = code.hasPrefix("DL") || code.hasPrefix("SC")
        var above = index - 1
        while above >= 0, case .trivia(let line) = syntax.items[above], line.kind == .comment {
            if let pragma = IgnorePragma(comment: syntax.source.text(in: line.range)), !pragma.isGlobal,
               pragma.isDockwright || isHadolintCode {
                var end = line.range.end
                while end > line.range.start, [0x0A, 0x0D, 0x20, 0x09].contains(bytes[end - 1]) { end -= 1 }
                return (.empty(at: end), "," + code)
            }
            above -= 1
        }
        var lineStart = instruction.keyword.range.start
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        let indentation = bytes[lineStart..<instruction.keyword.range.start]
        let indent = indentation.allSatisfy { $0 == 0x20 || $0 == 0x09 } ? String(decoding: indentation, as: UTF8.self) : ""
        let usesHadolintPragmas = isHadolintCode && syntax.items.contains { item in
            guard case .trivia(let line) = item, line.kind == .comment,
                  let pragma = IgnorePragma(comment: syntax.source.text(in: line.range)) else { return false }
            return !pragma.isDockwright
        }
        let tool = usesHadolintPragmas ? "hadolint" : "dockwright"
        return (.empty(at: lineStart), "\(indent)# \(tool) ignore=\(code)\(DockerfileStyle(syntax).lineEnding)")
    }
}
