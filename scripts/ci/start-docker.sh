#!/usr/bin/env bash
# Start dockerd in the background unless an engine already answers.
# Only an engine this script started is ever waited for or replaced: it is
# known by our own pid file ($GITCREW_DOCKERD_PIDFILE), never by its name.
# Idempotent across machine restarts: a dockerd that died leaves its pid files
# behind, and a new dockerd refuses to start while they exist.
set -euo pipefail
OURS="${GITCREW_DOCKERD_PIDFILE:-/var/run/gitcrew/dockerd.pid}"
LOG="${GITCREW_DOCKERD_LOG:-/var/log/gitcrew-dockerd.log}"
# Seconds to wait for an engine that is starting before calling it stuck.
WAIT="${GITCREW_DOCKERD_WAIT:-20}"
answers() { docker info >/dev/null 2>&1; }
wait_for_engine() {
  for _ in $(seq 1 "$1"); do answers && return 0; sleep 1; done
  return 1
}
# The pid in FILE when that process is alive and is a dockerd.
live_dockerd() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qx dockerd "/proc/$pid/comm" 2>/dev/null && echo "$pid"
}

if answers; then exit 0; fi

# Ours may still be starting (or stuck): give it a moment, then replace it.
if ours="$(live_dockerd "$OURS")"; then
  if wait_for_engine "$WAIT"; then exit 0; fi
  echo "the dockerd this script started (pid $ours) does not answer; restarting it"
  kill "$ours" 2>/dev/null || true
  for _ in $(seq 1 "$WAIT"); do kill -0 "$ours" 2>/dev/null || break; sleep 1; done
  kill -9 "$ours" 2>/dev/null || true
  rm -f "$OURS"
fi

# Someone else's engine (systemd's, another user's) is alive but does not answer: not ours to touch.
if other="$(live_dockerd /var/run/docker.pid)"; then
  if wait_for_engine "$WAIT"; then exit 0; fi
  echo "setup: a dockerd that setup did not start (pid $other, /var/run/docker.pid) is running but does not answer; restart it (systemctl restart docker) or stop it, then run this again" >&2
  exit 1
fi

# Pid files of an engine that is gone (the process with that pid is not a dockerd/containerd).
for pidfile in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null \
    || ! grep -qE 'dockerd|containerd' "/proc/$pid/comm" 2>/dev/null; then
    echo "removing stale $pidfile"
    rm -f "$pidfile"
  fi
done

# A systemd that runs: the engine is its service.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl start docker 2>/dev/null && wait_for_engine 30 && exit 0
fi

echo "starting dockerd (pid file $OURS, log $LOG)"
mkdir -p "$(dirname "$OURS")" "$(dirname "$LOG")"
nohup dockerd >>"$LOG" 2>&1 </dev/null &
echo $! >"$OURS"
if wait_for_engine 60; then exit 0; fi
echo "setup: dockerd did not start; see $LOG" >&2
tail -20 "$LOG" >&2 || true
exit 1
