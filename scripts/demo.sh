#!/usr/bin/env bash
# The main job, end to end on the bundled example data (examples/): builds the tool, validates the example
# payloads (one is rejected, with its explanation), then builds, signs and verifies the example week, proves
# one member's days were counted, and logs the release with a witness's cosignature.
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

echo
echo "== 3. the union builds the week's release from the store export (k = 5, p% dominance, secondary suppression)"
"$bv" release build --rows examples/rows/2026-W24.jsonl --week 2026-W24 --today "$today" -o "$out/2026-W24.json"
echo
echo "== 4. an auditor re-derives every published number from the rows and recomputes every suppressed interval"
"$bv" release audit "$out/2026-W24.json" --rows examples/rows/2026-W24.jsonl --today "$today"
echo
echo "== 5. the union signs it (minisign ED signature + SSH signature; the secret key is scrypt-encrypted)"
umask 077
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$out/passphrase"; echo >> "$out/passphrase"
"$bv" key generate --out "$out/union" --passphrase-file "$out/passphrase"
"$bv" release sign "$out/2026-W24.json" --key "$out/union.key" --passphrase-file "$out/passphrase" --ssh
echo
echo "== 6. a buyer verifies it: with this tool (signature, chain, canonical bytes, audit) ..."
"$bv" release verify "$out/2026-W24.json" --pubkey "$out/union.pub" --rows examples/rows/2026-W24.jsonl --today "$today"
echo "... and with stock tools alone"
minisign -Vm "$out/2026-W24.json" -p "$out/union.pub"
"$bv" key show "$out/union.pub" --allowed-signers > "$out/allowed_signers"
ssh-keygen -Y verify -f "$out/allowed_signers" -I backpay-union -n backpay-release -s "$out/2026-W24.json.sig" < "$out/2026-W24.json"
echo
echo "== 7. the union proves each member's days are among the release's inputs; one member checks theirs"
"$bv" release prove "$out/2026-W24.json" --rows examples/rows/2026-W24.jsonl --key "$out/union.key" \
  --passphrase-file "$out/passphrase" --origin example.org/union --out "$out/proofs" --today "$today"
proof=$(ls "$out"/proofs/*.tlog-proofs | head -n 1)
member=$(basename "$proof" .tlog-proofs)
mkdir -p "$out/member-outbox"
grep "\"panelist\":\"$member\"" examples/rows/2026-W24.jsonl | while IFS= read -r line; do
  day=$(printf '%s' "$line" | sed 's/.*"date":"\([0-9-]*\)".*/\1/')
  printf '%s\n' "$line" > "$out/member-outbox/$day.json"
done
"$bv" proof verify "$proof" --pubkey "$out/union.pub" --release "$out/2026-W24.json" --payload "$out"/member-outbox/*.json --today "$today"
echo
echo "== 8. the union appends the release to its log; a witness cosigns the checkpoint; a buyer verifies with a quorum"
"$bv" log append "$out/union.log" "$out/2026-W24.json" --key "$out/union.key" --passphrase-file "$out/passphrase" --origin example.org/union/log
"$bv" log prove "$out/union.log" --since 0 -o "$out/consistency-from-0"
"$bv" key generate --out "$out/witness" --passphrase-file "$out/passphrase" > /dev/null
"$bv" key show "$out/witness.pub" --note-name auditor.example/w1 --cosigner > "$out/witnesses"
"$bv" log witness "$out/consistency-from-0" --key "$out/witness.key" --passphrase-file "$out/passphrase" --name auditor.example/w1 \
  --log-pubkey "$out/union.pub" --origin example.org/union/log --state "$out/witness.state" -o "$out/checkpoint.cosigned"
"$bv" log verify "$out/checkpoint.cosigned" --pubkey "$out/union.pub" --origin example.org/union/log \
  --witnesses "$out/witnesses" --quorum 1 --state "$out/buyer.state"
echo
echo "== 9. a buyer checks that the release they hold is in the log (the union proves it with the cosigned checkpoint)"
"$bv" log prove "$out/union.log" --release "$out/2026-W24.json" --checkpoint "$out/checkpoint.cosigned" -o "$out/2026-W24.log-proof"
"$bv" log verify --release "$out/2026-W24.json" --proof "$out/2026-W24.log-proof" --pubkey "$out/union.pub" \
  --origin example.org/union/log --witnesses "$out/witnesses" --quorum 1 --state "$out/buyer.state"
echo
echo "demo: every step passed; outputs are in $out/"
