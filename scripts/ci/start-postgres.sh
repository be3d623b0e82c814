#!/usr/bin/env bash
# (owned by the store work) start PostgreSQL for the multi-instance tests.
set -euo pipefail
