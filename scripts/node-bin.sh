#!/usr/bin/env bash
# Prints the bin folder of a real Node.js of the given major (22 or 24), installing the `node@MAJOR`
# npm package into a cache folder the first time. Generated projects target current LTS, which the
# machine's own Node.js may not be; tests put this folder first on PATH for those steps.
set -euo pipefail
major="${1:?usage: node-bin.sh 22|24}"
dir="${CSE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/create-secure-express}/node$major"
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node@$major" >&2
fi
echo "$dir/node_modules/.bin"
