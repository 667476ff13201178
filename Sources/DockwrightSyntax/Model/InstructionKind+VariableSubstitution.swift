extension InstructionKind {
    /// Whether Docker substitutes variables in the instruction's arguments.
    ///
    /// Mirrors BuildKit, whose instructions with an `Expand` method are ADD, COPY, ENV,
    /// EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME and WORKDIR; FROM and ARG defaults are
    /// expanded separately (FROM against global ARGs only). RUN, CMD, ENTRYPOINT,
    /// SHELL, HEALTHCHECK and MAINTAINER leave `$` to the shell or take it literally
    /// (BuildKit expands only the values of RUN's `--mount` options), and ONBUILD
    /// stores its trigger unexpanded, to be expanded in the child build.
    public var substitutesVariables: Bool {
        switch self {
        case .add, .arg, .copy, .env, .expose, .from, .label, .stopsignal, .user, .volume, .workdir:
            return true
        case .cmd, .entrypoint, .healthcheck, .maintainer, .onbuild, .run, .shell:
            return false
        }
    }
}
