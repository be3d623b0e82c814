#!/usr/bin/env bash
# (owned by the runner work) build the offline runtime images once.
set -euo pipefail
