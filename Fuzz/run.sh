#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a fixed time.
#
#   Fuzz/run.sh [fuzz-json|fuzz-regex|fuzz-payload|fuzz-signature|fuzz-transparency] [seconds]     (defaults: fuzz-json, 600)
#
# New corpus entries go to Fuzz/corpus-work/<target>/ (not committed); Fuzz/seeds/<target>/ and, for
# every target but fuzz-regex, every file under golden/ and schemas/ are read as seeds. A crashing or timed-out
# input is saved as Fuzz/corpus-work/<target>-artifacts/crash-* (or timeout-*), and the script exits
# non-zero. Re-run one input with: "$(swift build ... --show-bin-path)/<target>" <file>
set -euo pipefail

target=${1:-fuzz-json}
seconds=${2:-600}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

case "$target" in
    fuzz-json|fuzz-regex|fuzz-payload|fuzz-signature|fuzz-transparency) ;;
    *) echo "run.sh: error: unknown target '$target' (fuzz-json, fuzz-regex, fuzz-payload, fuzz-signature or fuzz-transparency)" >&2; exit 64 ;;
esac
case "$seconds" in
    ''|*[!0-9]*) echo "run.sh: error: seconds must be a whole number, got '$seconds'" >&2; exit 64 ;;
esac

# --sanitize=fuzzer links the toolchain's libFuzzer; say so plainly when the toolchain lacks it.
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")
if ! compgen -G "$toolchain/lib/clang/*/lib/linux/libclang_rt.fuzzer-$(uname -m).a" >/dev/null; then
    echo "run.sh: error: no libclang_rt.fuzzer-$(uname -m).a under $toolchain/lib/clang/*/lib/linux/: this Swift toolchain cannot build fuzzers" >&2
    exit 2
fi

build=(swift build -c release --sanitize=fuzzer --package-path "$here")
"${build[@]}" --product "$target"
bin="$("${build[@]}" --show-bin-path)/$target"

corpus="$here/corpus-work/$target"
artifacts="$here/corpus-work/$target-artifacts"
mkdir -p "$corpus" "$artifacts"
seeds=("$here/seeds/$target")
if [ "$target" != fuzz-regex ]; then
    for d in "$repo/golden" "$repo/schemas"; do [ -d "$d" ] && seeds+=("$d"); done
fi
dict="$here/dicts/$target.dict"
dictarg=()
[ -f "$dict" ] && dictarg=(-dict="$dict")

# Swift's own crash reporter would catch the trap first and libFuzzer would never save the input.
export SWIFT_BACKTRACE=enable=no

echo "run.sh: $target for ${seconds}s, corpus $corpus" >&2
exec "$bin" "$corpus" "${seeds[@]}" "${dictarg[@]}" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$artifacts/" -print_final_stats=1
