#!/usr/bin/env bash
# The main job, end to end on the bundled example data (examples/): builds the tool, validates the example
# payloads (one is rejected, with its explanation), then builds, signs and verifies the example week.
# Outputs go to a fresh directory (default: ./demo-out, replaced on each run); nothing else is written.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-demo-out}
today=2026-06-15            # the example week is 2026-W24; pin "today" so the demo never ages
swift build -c release --product backpay-verify 2>&1 | grep -E "error|warning: |Compiling|Build complete" | tail -3
bv=$(swift build -c release --show-bin-path)/backpay-verify
rm -rf "$out" && mkdir -p "$out"

echo
echo "== 1. a member validates what the meter is about to send"
"$bv" payload --today "$today" examples/payloads/2026-06-12.json
echo "\$ backpay-verify payload --canonical examples/payloads/2026-06-12.json   (the exact bytes that leave)"
"$bv" payload --today "$today" --canonical examples/payloads/2026-06-12.json
echo
echo "== 2. a payload with a look-alike character is rejected, and says why"
set +e
"$bv" payload --today "$today" examples/payloads/rejected-lookalike.json
status=$?
set -e
echo "(exit status $status: 1 means the check ran and the payload is wrong)"
[ "$status" = 1 ]
