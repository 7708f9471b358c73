#!/bin/sh
# Rewrites the expected outputs of every schema golden case from the built tool. Review the diff
# (git diff golden/) before committing: these files are the specification the tests hold the tool to.
# Usage: golden/schema/regen.sh [path/to/backpay-verify]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tool=$(cd "$(dirname "${1:-$here/../../.build/debug/backpay-verify}")" && pwd)/$(basename "${1:-backpay-verify}")
python3 "$here/make_cases.py" "$tool"
for dir in "$here"/lint/*/ "$here"/diff/*/ "$here"/gate/*/ "$here"/consent/*/; do
    formats="text json github markdown"
    rm -f "$dir"expected.*
    for fmt in $formats; do
        ( cd "$dir" && set +e
          # shellcheck disable=SC2046
          NO_COLOR=1 "$tool" $(cat command) --format "$fmt" >"expected.$fmt" 2>expected.stderr
          echo $? >expected.status )
        [ -s "$dir/expected.$fmt" ] || rm -f "$dir/expected.$fmt"
    done
    [ -s "$dir/expected.stderr" ] || rm -f "$dir/expected.stderr"
done
