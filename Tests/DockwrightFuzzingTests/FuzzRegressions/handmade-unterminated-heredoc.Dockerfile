FROM debian
RUN apt-get update
RUN <<EOF cat >/x
line
