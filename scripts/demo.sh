#!/usr/bin/env bash
# The local demo (`npm run demo`): a throwaway repository with the example
# crew, checked, dry-run, and its `notes` agent run for real in a hardened
# container. No GitHub account, no database: only a Docker engine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
gitcrew() { node "$root/bin/gitcrew.js" "$@"; }

if ! docker info >/dev/null 2>&1; then
  echo "No Docker engine is running. Run 'npm run demo' (it sets up what the demo needs; as root it installs and starts the engine)." >&2
  exit 4
fi
[ -f "$root/dist/cli.js" ] || node "$root/scripts/build.mjs"
docker image inspect gitcrew/command:latest >/dev/null 2>&1 || gitcrew images build command --offline

demo="$(mktemp -d "${TMPDIR:-/tmp}/gitcrew-demo-XXXXXX")"
g() { git -C "$demo" -c user.name=demo -c user.email=demo@example.invalid "$@"; }
g init -q -b main
echo "# demo" >"$demo/README.md"
gitcrew init --repo "$demo"
g add -A && g commit -qm "a crew for the demo"

echo; echo "== gitcrew validate"
gitcrew validate --repo "$demo"
echo; echo "== gitcrew dry-run: what a comment would start"
gitcrew dry-run --repo "$demo" --comment "@notes remember to rotate the keys" --author you --permission write
echo "== gitcrew run notes: the agent in its container"
gitcrew run notes --repo "$demo" --prompt "remember to rotate the keys"
echo; echo "== the agent's commit, on its own branch"
g log --oneline --all --decorate -n 3
branch="$(g for-each-ref --format='%(refname:short)' 'refs/heads/gitcrew/notes/*' | head -n1)"
g show "$branch:notes/latest.md"
echo "demo repository: $demo"
