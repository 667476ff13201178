# escape=`
FROM ubuntu
ADD a.txt /a`
  b
RUN <<EOF
apt-get update
EOF
RUN apt-get install -y curl
