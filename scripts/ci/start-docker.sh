#!/usr/bin/env bash
# Start dockerd in the background unless an engine already answers.
# Idempotent across machine restarts: a dockerd that died leaves its pid files
# behind, and a new dockerd refuses to start while they exist.
set -euo pipefail
answers() { docker info >/dev/null 2>&1; }
wait_for_engine() {
  for _ in $(seq 1 "$1"); do answers && return 0; sleep 1; done
  return 1
}
if answers; then exit 0; fi

# A dockerd may still be starting (or stuck): give it a moment, then replace it.
if pgrep -x dockerd >/dev/null; then
  if wait_for_engine 20; then exit 0; fi
  echo "dockerd is running but does not answer; restarting it"
  pkill -x dockerd || true
  for _ in $(seq 1 20); do pgrep -x dockerd >/dev/null || break; sleep 1; done
  pkill -9 -x dockerd || true
fi

# Pid files of an engine that is gone (the process with that pid is not ours).
for pidfile in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null \
    || ! grep -qE 'dockerd|containerd' "/proc/$pid/comm" 2>/dev/null; then
    echo "removing stale $pidfile"
    rm -f "$pidfile"
  fi
done

echo "starting dockerd"
nohup dockerd >/tmp/gitcrew-dockerd.log 2>&1 &
if wait_for_engine 60; then exit 0; fi
echo "dockerd did not start; see /tmp/gitcrew-dockerd.log" >&2
tail -20 /tmp/gitcrew-dockerd.log >&2 || true
exit 1
