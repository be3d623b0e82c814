#!/usr/bin/env bash
# Agent CLIs for the host-side runtime tests, outside package.json (they are
# not dependencies of gitcrew). Idempotent: keeps what is installed and works.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=.cache/agent-clis
BIN="$DIR/node_modules/.bin"

works() { [ -x "$BIN/$1" ] && "$BIN/$1" --version >/dev/null 2>&1; }

missing=()
works claude || missing+=(@anthropic-ai/claude-code)
works codex || missing+=(@openai/codex)
works gemini || missing+=(@google/gemini-cli)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing into $DIR: ${missing[*]}"
mkdir -p "$DIR"
# All three in one install: a later install into the prefix prunes what it does not list.
npm install --prefix "$DIR" --no-audit --no-fund @anthropic-ai/claude-code @openai/codex @google/gemini-cli >/dev/null
# Claude Code's postinstall links its native binary; run it when npm skipped it.
works claude || (cd "$DIR/node_modules/@anthropic-ai/claude-code" && node install.cjs)
for cli in claude codex gemini; do
  works "$cli" || { echo "$cli did not install into $DIR" >&2; exit 1; }
  echo "$cli $("$BIN/$cli" --version 2>/dev/null | head -1)"
done
