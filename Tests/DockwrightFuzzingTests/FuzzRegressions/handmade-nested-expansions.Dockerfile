FROM ${A:-${B:-${C:-${D:-alpine}}}}
RUN echo ${x:-${y:-${z:-${w}}}} && echo ${
ENV A=${B:-${C
