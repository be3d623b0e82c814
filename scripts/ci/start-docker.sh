#!/usr/bin/env bash
# Start dockerd in the background unless an engine already answers.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
echo "starting dockerd"
nohup dockerd >/tmp/gitcrew-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "dockerd did not start; see /tmp/gitcrew-dockerd.log" >&2
tail -20 /tmp/gitcrew-dockerd.log >&2 || true
exit 1
