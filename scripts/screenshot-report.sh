#!/bin/sh
# Renders the HTML report of `verify compare` in headless Chromium (Debian's `chromium`) and saves a screenshot,
# as a user would see the page: no network, a fresh profile.
#
#   scripts/screenshot-report.sh [REPORT.html] [OUT.png] [WIDTHxHEIGHT]
#
# Without REPORT.html it builds verify and runs `verify compare -o "$TMPDIR/verify-compare"` first.
# Defaults: OUT.png = compare-report.png in the current folder, size 1400x3000 (CSS pixels).
# SCALE=0.8 in the environment renders at that device scale factor (a smaller PNG of the same page).
# The picture in the docs: SCALE=0.8 scripts/screenshot-report.sh "" docs/images/compare-report.png 1400x2500
set -eu

report=${1:-}
out=${2:-compare-report.png}
size=${3:-1400x3000}
chromium=${CHROMIUM:-/usr/bin/chromium}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x "$chromium" ]; then
    echo "screenshot-report: $chromium not found; install Debian's chromium (apt-get install -y chromium)" >&2
    exit 2
fi

if [ -z "$report" ]; then
    dir=${TMPDIR:-/tmp}/verify-compare
    artifacts=${TMPDIR:-/tmp}/verify-screenshot-build
    dotnet build "$root/src/Checker" -c Release --artifacts-path "$artifacts" -v quiet -nologo >&2
    "$artifacts/bin/Verify.Checker/release/verify" compare -o "$dir" >/dev/null
    report=$dir/compare.html
fi
[ -f "$report" ] || { echo "screenshot-report: no such report: $report" >&2; exit 2; }

case $out in /*) ;; *) out=$(pwd)/$out ;; esac
report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT INT TERM

"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --force-color-profile=srgb --force-device-scale-factor="${SCALE:-1}" --user-data-dir="$profile" \
    --window-size="$(echo "$size" | tr x ,)" --screenshot="$out" "file://$report" >/dev/null 2>&1

[ -s "$out" ] || { echo "screenshot-report: chromium wrote no screenshot" >&2; exit 1; }
echo "$out"
