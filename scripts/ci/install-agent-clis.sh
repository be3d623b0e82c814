#!/usr/bin/env bash
# Agent CLIs for the host-side runtime tests, outside package.json (they are
# not dependencies of gitcrew). Idempotent: keeps an install that is present.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=.cache/agent-clis
if [ -x "$DIR/node_modules/.bin/claude" ] && "$DIR/node_modules/.bin/claude" --version >/dev/null 2>&1; then
  exit 0
fi
echo "installing the Claude Code CLI into $DIR"
mkdir -p "$DIR"
npm install --prefix "$DIR" --no-audit --no-fund --no-save @anthropic-ai/claude-code >/dev/null
# The package's postinstall links the native binary; run it when npm skipped it.
"$DIR/node_modules/.bin/claude" --version >/dev/null 2>&1 ||
  (cd "$DIR/node_modules/@anthropic-ai/claude-code" && node install.cjs)
"$DIR/node_modules/.bin/claude" --version
