#!/usr/bin/env bash
# Everything `npm run demo` (setup.sh demo) or `npm test` (setup.sh test)
# needs, on a fresh Debian machine or a warm one. Idempotent: each step that
# is already done is skipped. A step that cannot be done here (not root, not
# Debian, no network to the packages) stops with one message saying what to do.
#
#   demo: npm dependencies, Docker engine, debootstrap, image gitcrew/command
#   test: the same, and PostgreSQL, git, ip, Chromium, all runtime images, agent CLIs
#
# Engines and databases it starts are known by its own pid files; nothing is
# ever stopped by process name.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-demo}"
case "$mode" in demo | test) ;; *) echo "usage: scripts/setup.sh [demo|test]" >&2; exit 2 ;; esac

root() { [ "$(id -u)" = 0 ]; }
debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }
die() { echo "setup: $*" >&2; exit 1; }
now() { date +%s.%N; }
# step NAME CHECK DO: skip when CHECK passes, else DO and say how long it took.
step() {
  local name="$1" check="$2" action="$3" t0
  if $check; then echo "setup: $name: ok"; return 0; fi
  t0="$(now)"
  $action
  echo "setup: $name: done in $(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }')"
}

# --- Node and npm dependencies -------------------------------------------------
node_ok() { node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; }
node_ok || die "gitcrew needs Node 20 or newer (found: $(node --version 2>/dev/null || echo none)); install it and run this again"

# npm leaves node_modules/.package-lock.json behind after a complete install.
deps_ok() { [ node_modules/.package-lock.json -nt package-lock.json ]; }
deps_install() {
  npm ci --no-audit --no-fund --loglevel=error >/dev/null \
    || die "npm ci failed (no network to the npm registry?); fix that and run this again"
}
step "npm dependencies" deps_ok deps_install

# --- Debian packages -----------------------------------------------------------
packages=()
# Daemons and admin tools live in sbin, which a non-root PATH often lacks.
SBIN="${GITCREW_SETUP_SBIN-/usr/sbin /sbin}"
installed() {
  local dir
  command -v "$1" >/dev/null && return 0
  for dir in $SBIN; do [ -x "$dir/$1" ] && return 0; done
  return 1
}
need() { installed "$1" || packages+=("$2"); }
need dockerd docker.io
# The offline images only need debootstrap when they are built.
images_ok() {
  local image
  for image in "$@"; do docker image inspect "$image" >/dev/null 2>&1 || return 1; done
}
if [ "$mode" = demo ]; then images=(gitcrew/command:latest); else images=(gitcrew/command:latest gitcrew/claude:latest); fi
images_ok "${images[@]}" 2>/dev/null || need debootstrap debootstrap
if [ "$mode" = test ]; then
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || packages+=(postgresql)
  need git git
  # `ip`: the engine-stop tests give their private dockerd a bridge of its own.
  need ip iproute2
  # The dashboard's browser tests drive Debian's Chromium (playwright-core downloads no browser).
  [ -x /usr/bin/chromium ] || packages+=(chromium)
fi
packages_ok() { [ ${#packages[@]} -eq 0 ]; }
packages_install() {
  root || die "missing ${packages[*]}: run this once as root (sudo npm $([ "$mode" = demo ] && echo "run demo" || echo test)), or install them yourself (sudo apt-get install ${packages[*]}) and run this again"
  debian || die "missing ${packages[*]} and this is not Debian (no apt-get): install the Docker engine, debootstrap$([ "$mode" = test ] && echo ", PostgreSQL, git, iproute2 and Chromium") yourself and run this again"
  echo "setup: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; } \
    || die "apt-get could not install ${packages[*]} (no network to the Debian mirrors?); fix apt (apt-get update) and run this again"
}
step "Debian packages" packages_ok packages_install

# --- Docker engine -------------------------------------------------------------
engine_ok() { docker info >/dev/null 2>&1; }
engine_start() {
  if ! root; then
    if [ -S /var/run/docker.sock ] && ! [ -r /var/run/docker.sock -a -w /var/run/docker.sock ]; then
      die "you may not use the Docker socket /var/run/docker.sock: add yourself to the docker group (sudo usermod -aG docker $(id -un), then log in again) and run this again"
    fi
    die "the Docker engine is not running: start it (sudo systemctl start docker), or run this once as root to let setup start it"
  fi
  bash scripts/ci/start-docker.sh
}
step "Docker engine" engine_ok engine_start

# --- PostgreSQL (tests) --------------------------------------------------------
if [ "$mode" = test ]; then
  PG_PORT="${GITCREW_PG_PORT:-54329}"
  pg_ok() { "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q 2>/dev/null; }
  pg_start() {
    root || die "PostgreSQL for the tests is not running on 127.0.0.1:$PG_PORT: run this once as root, or start one and set GITCREW_TEST_PG_URL"
    bash scripts/ci/start-postgres.sh >/dev/null
  }
  step "PostgreSQL" pg_ok pg_start
fi

# --- Runtime images ------------------------------------------------------------
# gitcrew reuses an image of this recipe's generation; the check is its own (it knows the recipe).
[ -f dist/cli.js ] || node scripts/build.mjs
images_build() {
  root || die "image ${images[*]} is missing and building it offline needs root (debootstrap): run this once as root, or build it with a registry (gitcrew images build command)"
  if [ "$mode" = demo ]; then node bin/gitcrew.js images build command --offline >/dev/null; else bash scripts/ci/build-images.sh; fi
}
current_images() {
  local out image
  images_ok "${images[@]}" || return 1
  # Built, but maybe by an earlier recipe: gitcrew knows (without building). One call: node starts once.
  out="$(node bin/gitcrew.js images check $([ "$mode" = demo ] && echo command) 2>/dev/null || true)"
  for image in "${images[@]}"; do grep -qx "$image"$'\tok' <<<"$out" || return 1; done
}
step "runtime images" current_images images_build

# --- Agent CLIs on the host (tests) --------------------------------------------
if [ "$mode" = test ]; then
  clis_ok() { local b=.cache/agent-clis/node_modules/.bin; [ -x $b/claude ] && [ -x $b/codex ] && [ -x $b/gemini ]; }
  step "agent CLIs" clis_ok "bash scripts/ci/install-agent-clis.sh"
fi
