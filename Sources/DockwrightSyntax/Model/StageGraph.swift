/// The build stages of a Dockerfile and how they depend on each other, as BuildKit's
/// Dockerfile frontend links them.
///
/// - A FROM names an earlier stage when its image word, after substituting global ARGs,
///   equals that stage's lower-cased `AS` name (so `FROM build` matches `AS Build`, but
///   `FROM Build` is an image reference); later stages and indexes are never bases.
/// - `COPY --from=` takes a stage index (`0`, `1`, …) or a stage name in any case,
///   looked up among all stages, else an image. It is never expanded.
/// - `RUN --mount=…,from=` takes a stage name, else an image.
/// - A stage based on another also runs that stage's ONBUILD triggers.
/// - The final stage is the `--target` stage, else the last one.
public struct StageGraph: Sendable {
    /// The stages, in file order.
    public let stages: [Stage]
    /// The instructions before the first FROM (global ARGs, or misplaced instructions).
    public let globalInstructions: [InstructionSyntax]
    /// ARG and ENV resolution for the file.
    public let argScope: ArgScope
    /// The stage that is built: the target stage, else the last stage; nil when there
    /// is no stage or the target names no stage.
    public let finalStageIndex: Int?

    /// The indices of the named stages, ordered by name and then by index, searched
    /// by ``stageIndex(named:)``: the map BuildKit looks `--from` names up in, in 4 bytes
    /// a stage where a dictionary of names took about 60 for a file of thousands of
    /// named stages, for the whole lint (issue 13).
    private let namedStagesByName: [UInt32]

    /// Builds the graph of `syntax`.
    ///
    /// - Parameters:
    ///   - buildArguments: `--build-arg` values, used when substituting in FROM lines.
    ///   - target: the `--target` stage name; the last stage when nil.
    public init(syntax: DockerfileSyntax, buildArguments: [String: String] = [:], target: String? = nil) {
        self.init(syntax: syntax, argScope: ArgScope(syntax: syntax, buildArguments: buildArguments, target: target),
                  target: target)
    }

    /// Builds the graph of `syntax` with an already resolved `argScope` of the same file.
    public init(syntax: DockerfileSyntax, argScope: ArgScope, target: String? = nil) {
        self.argScope = argScope
        let instructions = argScope.instructions
        globalInstructions = Array(instructions[..<(argScope.stageStarts.first ?? instructions.count)])

        var byName: [String: Int] = [:]
        for (index, name) in argScope.stageNames.enumerated() {
            if let name { byName[name] = index }
        }
        let names = argScope.stageNames
        namedStagesByName = names.indices.compactMap { names[$0] == nil ? nil : UInt32(clamping: $0) }
            .sorted { (names[Int($0)] ?? "", $0) < (names[Int($1)] ?? "", $1) }

        var builder = StageBuilder(
            source: syntax.source, argScope: argScope, stagesByName: byName)
        var stages: [Stage] = []
        stages.reserveCapacity(argScope.stageStarts.count)
        for index in argScope.stageStarts.indices {
            stages.append(builder.stage(at: index, earlierStages: stages))
        }
        self.stages = stages
        if let target {
            finalStageIndex = byName[target.lowercased()]
        } else {
            finalStageIndex = stages.indices.last
        }
    }

    // MARK: - Lookups

    /// The final stage; see ``finalStageIndex``.
    public var finalStage: Stage? { finalStageIndex.map { stages[$0] } }

    /// The stage named `name`, in any case; the last one when the name is repeated.
    public func stage(named name: String) -> Stage? {
        stageIndex(named: name.lowercased()).map { stages[$0] }
    }

    /// The index of the last stage named `name` (already lowercased): the last of the
    /// stages with that name in ``namedStagesByName``, as it orders them by index.
    private func stageIndex(named name: String) -> Int? {
        let names = argScope.stageNames
        let end = namedStagesByName.partitioningIndex { (names[Int($0)] ?? "") > name }
        guard end > 0, names[Int(namedStagesByName[end - 1])] == name else { return nil }
        return Int(namedStagesByName[end - 1])
    }

    /// The stage an instruction belongs to (a FROM belongs to the stage it starts);
    /// nil for instructions before the first FROM and for ONBUILD triggers.
    ///
    /// Two binary searches (the instruction by its start, then the last FROM before it)
    /// rather than a table of every instruction, which cost a large file 35 bytes a line.
    public func stage(containing instruction: InstructionSyntax) -> Stage? {
        guard let index = argScope.instructionIndex(startingAt: instruction.range.start),
              let stage = VariableHistory.lastIndex(in: argScope.stageStarts, before: index + 1, time: { $0 })
        else { return nil }
        return stages[stage]
    }

    /// The stages a stage reads from directly: its base stage, then its `--from`
    /// stages, each once, in order.
    public func directDependencies(ofStage index: Int) -> [Int] {
        guard stages.indices.contains(index) else { return [] }
        var result: [Int] = []
        var seen: Set<Int> = []
        let stage = stages[index]
        for candidate in [stage.baseStageIndex].compactMap({ $0 }) + stage.dependencies.compactMap(\.stageIndex)
        where seen.insert(candidate).inserted {
            result.append(candidate)
        }
        return result
    }

    /// Every stage a stage needs, directly or through other stages, in ascending order;
    /// the stage itself appears only when it depends on itself through a cycle.
    public func transitiveDependencies(ofStage index: Int) -> [Int] {
        var visited: Set<Int> = []
        var pending = directDependencies(ofStage: index)
        while let next = pending.popLast() {
            guard visited.insert(next).inserted else { continue }
            pending.append(contentsOf: directDependencies(ofStage: next))
        }
        return visited.sorted()
    }

    /// The stages the final stage needs, in ascending order; the others are skipped by
    /// BuildKit unless built on their own.
    public var stagesNeededByFinalStage: [Int] {
        finalStageIndex.map { transitiveDependencies(ofStage: $0) } ?? []
    }

    /// Whether building the final stage builds `index` (the final stage included).
    public func isNeededByFinalStage(_ index: Int) -> Bool {
        index == finalStageIndex || stagesNeededByFinalStage.contains(index)
    }
}

// MARK: - Building stages

/// Resolves the parts of each stage.
private struct StageBuilder {
    let source: SourceFile
    let argScope: ArgScope
    let stagesByName: [String: Int]
    /// Each base image text parsed so far: the stages that name the same image share its
    /// parsed parts (``ImageReference/moved(to:)``).
    private var parsedBaseImages: [String: ImageReference] = [:]

    init(source: SourceFile, argScope: ArgScope, stagesByName: [String: Int]) {
        self.source = source
        self.argScope = argScope
        self.stagesByName = stagesByName
    }

    mutating func stage(at index: Int, earlierStages: [Stage]) -> Stage {
        let instructions = argScope.instructions
        let start = argScope.stageStarts[index]
        let end = index + 1 < argScope.stageStarts.count ? argScope.stageStarts[index + 1] : instructions.count
        let from = instructions[start]
        var words: [Token] = []
        if case .words(let tokens) = from.arguments { words = tokens }

        let base: Stage.Base
        var baseName: String?
        if let baseToken = words.first, let expansion = argScope.baseExpansions[index].result {
            switch expansion {
            case .failure(let error):
                base = .unresolved(StageResolutionError(.expansion(error), range: baseToken.range))
            case .success(let value) where value.isEmpty:
                baseName = value
                base = .unresolved(
                    StageResolutionError(.blankBaseName(written: baseToken.text), range: baseToken.range))
            case .success(let value):
                baseName = value
                if let stageIndex = argScope.baseStageIndices[index] {
                    base = .stage(stageIndex)
                } else {
                    base = .image(baseImage(value, range: baseToken.range))
                }
            }
        } else {
            base = .unresolved(StageResolutionError(.missingBaseName, range: from.keyword.range))
        }

        var dependencies: [Stage.Dependency] = []
        if case .stage(let baseIndex) = base, earlierStages.indices.contains(baseIndex) {
            for instruction in earlierStages[baseIndex].instructions {
                guard let trigger = instruction.trigger else { continue }
                dependencies += self.dependencies(of: trigger, reportedAs: instruction, isOnbuildTrigger: true)
            }
        }
        for instruction in instructions[(start + 1)..<end] {
            dependencies += self.dependencies(of: instruction, reportedAs: instruction, isOnbuildTrigger: false)
        }

        return Stage(
            index: index, from: from, name: argScope.stageNames[index], baseName: baseName, base: base,
            platform: platform(of: from),
            instructions: Array(instructions[(start + 1)..<end]), dependencies: dependencies)
    }

    /// `text` parsed as an image reference written at `range`.
    private mutating func baseImage(_ text: String, range: TextRange) -> ImageReference {
        if let parsed = parsedBaseImages[text] { return parsed.moved(to: range) }
        let parsed = ImageReference.parse(text, range: range)
        parsedBaseImages[text] = parsed
        return parsed
    }

    /// `--platform`, expanded against the global ARGs.
    private func platform(of from: InstructionSyntax) -> Stage.Platform? {
        guard let flag = from.flag(named: "platform"), let written = flag.value else { return nil }
        switch argScope.expandInGlobalScope(written).result {
        case .failure(let error):
            return Stage.Platform(
                flag: flag, result: .failure(StageResolutionError(.expansion(error), range: flag.range)))
        case .success(let value) where value.isEmpty:
            return Stage.Platform(
                flag: flag, result: .failure(StageResolutionError(.blankPlatform(written: written), range: flag.range)))
        case .success(let value):
            return Stage.Platform(flag: flag, result: .success(value))
        }
    }

    /// The `COPY --from` or `RUN --mount=from=` references of `instruction`.
    private func dependencies(
        of instruction: InstructionSyntax, reportedAs reported: InstructionSyntax, isOnbuildTrigger: Bool
    ) -> [Stage.Dependency] {
        switch instruction.kind {
        case .copy:
            // BuildKit keeps the last value of a repeated flag; an empty one means none.
            guard let flag = instruction.flag(named: "from"), let reference = flag.value, !reference.isEmpty else {
                return []
            }
            let range = valueRange(of: reference, in: flag)
            return [Stage.Dependency(
                kind: .copy, instruction: reported, reference: reference, range: range,
                source: copySource(reference, range: range), isOnbuildTrigger: isOnbuildTrigger)]
        case .run:
            return instruction.flags.filter { $0.name == "mount" }.compactMap { flag in
                guard let value = flag.value, let field = Self.fromField(ofMount: value), !field.value.isEmpty else {
                    return nil
                }
                let range = fieldRange(field, in: flag)
                return Stage.Dependency(
                    kind: .runMount, instruction: reported, reference: field.value, range: range,
                    source: mountSource(field.value, range: range), isOnbuildTrigger: isOnbuildTrigger)
            }
        default:
            return []
        }
    }

    /// Mirrors BuildKit's `toCommand`: a reference that the shell lexer would change is
    /// refused, a number is a stage index, anything else a stage name or, failing that,
    /// an image.
    private func copySource(_ reference: String, range: TextRange) -> Stage.Dependency.Source {
        switch argScope.expander.expand(reference, environment: [:]) {
        case .failure(let error):
            return .invalid(StageResolutionError(.expansion(error), range: range))
        case .success(let expanded) where expanded != reference:
            return .invalid(StageResolutionError(.variableInCopyFrom, range: range))
        case .success:
            break
        }
        if let index = Self.goAtoi(reference) {
            guard index >= 0 && index < argScope.stageStarts.count else {
                return .invalid(StageResolutionError(.invalidStageIndex(index), range: range))
            }
            return .stage(index)
        }
        if let index = stagesByName[reference.lowercased()] { return .stage(index) }
        return .image(ImageReference.parse(reference, range: range))
    }

    /// Mirrors BuildKit's `detectRunMount`: a stage name, else an image; a `$` before the
    /// last character is refused when the mount is parsed.
    private func mountSource(_ reference: String, range: TextRange) -> Stage.Dependency.Source {
        if let dollar = reference.firstIndex(of: "$"), reference.index(after: dollar) != reference.endIndex {
            return .invalid(StageResolutionError(.variableInMountFrom, range: range))
        }
        if let index = stagesByName[reference.lowercased()] { return .stage(index) }
        return .image(ImageReference.parse(reference, range: range))
    }

    // MARK: - Ranges

    /// The range of a flag's value when the flag is written plainly (no quotes or
    /// escapes), else the whole flag.
    private func valueRange(of value: String, in flag: FlagSyntax) -> TextRange {
        guard source.text(in: flag.range) == flag.text else { return flag.range }
        return TextRange(start: flag.range.end - value.utf8.count, end: flag.range.end)
    }

    private func fieldRange(_ field: MountField, in flag: FlagSyntax) -> TextRange {
        guard source.text(in: flag.range) == flag.text, let equals = flag.text.utf8.firstIndex(of: UInt8(ascii: "="))
        else { return flag.range }
        let valueStart = flag.range.start + flag.text.utf8.distance(from: flag.text.utf8.startIndex, to: equals) + 1
        return TextRange(start: valueStart + field.valueStart, end: valueStart + field.valueEnd)
    }

    // MARK: - Parsing helpers

    /// The `from` field of a `--mount` value and its byte offsets in the value.
    struct MountField {
        let value: String
        let valueStart: Int
        let valueEnd: Int
    }

    /// The last `from=` field of a CSV mount specification (BuildKit's `parseMount`
    /// reads the fields with a CSV reader; a later `from` overwrites an earlier one).
    /// Nil when there is none or the CSV is malformed.
    static func fromField(ofMount specification: String) -> MountField? {
        let bytes = Array(specification.utf8)
        var result: MountField?
        var index = 0
        while index <= bytes.count {
            let fieldStart = index
            var field: [UInt8] = []
            var rawEnd = index
            if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                // A quoted field; `""` is a quote. It must end at a comma or the end.
                index += 1
                var closed = false
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                            field.append(UInt8(ascii: "\""))
                            index += 2
                            continue
                        }
                        closed = true
                        index += 1
                        break
                    }
                    field.append(bytes[index])
                    index += 1
                }
                guard closed, index == bytes.count || bytes[index] == UInt8(ascii: ",") else { return nil }
                rawEnd = index
            } else {
                while index < bytes.count && bytes[index] != UInt8(ascii: ",") {
                    guard bytes[index] != UInt8(ascii: "\"") else { return nil }
                    field.append(bytes[index])
                    index += 1
                }
                rawEnd = index
            }
            if let equals = field.firstIndex(of: UInt8(ascii: "=")),
                String(decoding: field[..<equals], as: UTF8.self).lowercased() == "from" {
                let value = String(decoding: field[(equals + 1)...], as: UTF8.self)
                let isPlain = rawEnd - fieldStart == field.count
                result = MountField(
                    value: value, valueStart: isPlain ? fieldStart + equals + 1 : fieldStart,
                    valueEnd: rawEnd)
            }
            index += 1
        }
        return result
    }

    /// Go's `strconv.Atoi`: an optional sign and decimal digits that fit in 64 bits.
    static func goAtoi(_ text: String) -> Int? {
        var digits = Substring(text)
        var isNegative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            isNegative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy(GoText.isASCIIDigit) else { return nil }
        var value = 0
        for byte in digits.utf8 {
            let (multiplied, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = multiplied.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow && !overflow2 else { return nil }
            value = sum
        }
        return isNegative ? -value : value
    }
}
