#!/usr/bin/env bash
# Build the offline runtime images once (debootstrap + docker import, agent
# CLIs from the npm registry); images of this recipe's generation are reused.
# Needs dist/.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/cli.js ] || node scripts/build.mjs
# command and claude first: other suites need them. A CLI that cannot be
# installed offline (codex, gemini) is reported but does not fail CI here.
node bin/gitcrew.js images build command --offline
node bin/gitcrew.js images build claude --offline
node bin/gitcrew.js images build codex --offline || echo "warning: gitcrew/codex not built" >&2
node bin/gitcrew.js images build gemini --offline || echo "warning: gitcrew/gemini not built" >&2
