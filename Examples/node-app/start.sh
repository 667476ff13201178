#!/bin/sh
set -e
exec node /app/server.js "$@"
