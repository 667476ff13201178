extension StageGraph {
    /// Stage `index` and the stages it is built on (`FROM <stage>`), nearest first: the
    /// one walk every inherited fact (user, shell, workdir, environment, image) follows.
    ///
    /// BuildKit resolves `FROM <name>` only to an earlier stage, so each step goes to a
    /// lower index; the walk still checks it, so no graph can make it loop.
    public func baseChain(ofStage index: Int) -> [Int] {
        guard stages.indices.contains(index) else { return [] }
        var chain = [index]
        var current = index
        while let base = stages[current].baseStageIndex, base < current, base >= 0 {
            chain.append(base)
            current = base
        }
        return chain
    }

    /// The stage at the bottom of stage `index`'s chain: the one that names an image,
    /// or whose base does not resolve.
    public func rootStage(of index: Int) -> Stage? {
        baseChain(ofStage: index).last.map { stages[$0] }
    }
}
