#!/usr/bin/env bash
# make test-report: renders the reports of simulate, sweep, compare and plan (shipped
# scenarios, few replications) with headless Chromium, each page whole and its charts one
# under another, and checks that no chart is blank (scripts/png_check.py). Installs Debian's chromium with
# apt-get when it is missing. Leaves the PNGs in a temporary folder and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="/opt/swift/usr/bin:$PATH"
start=$(date +%s)

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "test-report: installing chromium with apt-get"
    SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    browser=$(command -v chromium)
fi

swift build --product queuesim
queuesim="$root/.build/debug/queuesim"

work=$(mktemp -d "${TMPDIR:-/tmp}/queuesim-report-XXXXXX")
cd "$work"
"$queuesim" simulate "$root/scenarios/shared-queue.yml" --replications 2 --output simulate --report --quiet
"$queuesim" sweep "$root/scenarios/over-pull.yml" --replications 2 --output sweep --report --quiet
"$queuesim" compare "$root/scenarios/shared-queue.yml" "$root/scenarios/per-group-queues.yml" --replications 2 \
    --output compare --report --quiet
"$queuesim" plan "$root/scenarios/plan-per-group.yml" --replications 2 --output plan --report --quiet

# Chromium as root needs --no-sandbox; its complaints about D-Bus and the GPU go to a log.
render() {  # render FILE.html OUT.png WIDTH HEIGHT
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$3,$4" \
        --screenshot="$2" "file://$1" >>chromium.log 2>&1
    [ -s "$2" ] || { echo "test-report: chromium wrote no $2 (see $work/chromium.log)"; exit 1; }
}

# Each page whole, for people to look at; then its charts in a column of equal cells, one
# screenshot per page, each cell checked on its own.
cell=480
sheets=()
charts=0
for page in reports/*.html; do
    name=$(basename "$page" .html)
    mkdir -p png
    count=$(python3 - "$page" "png/$name-charts.html" "$cell" <<'PY'
import re, sys
page, sheet, cell = sys.argv[1], sys.argv[2], int(sys.argv[3])
charts = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart".*?</svg>', open(page, encoding="utf-8").read(), re.S)
if not charts:
    sys.exit(f"{page}: no chart")
cells = "".join(f'<div style="height:{cell}px;overflow:hidden">{svg}</div>' for svg in charts)
with open(sheet, "w", encoding="utf-8") as f:
    f.write('<!DOCTYPE html><html><head><meta charset="utf-8"/><style>body{margin:0;background:#fff}</style></head><body>' + cells + "</body></html>")
print(len(charts))
PY
)
    render "$work/$page" "png/$name.png" 820 $(( 300 + count * (cell + 40) ))
    render "$work/png/$name-charts.html" "png/$name-charts.png" 760 $(( count * cell ))
    sheets+=("png/$name-charts.png")
    charts=$(( charts + count ))
done

python3 "$root/scripts/png_check.py" --cell-height "$cell" "${sheets[@]}"
echo "test-report: $charts charts of ${#sheets[@]} reports rendered and not blank in $(( $(date +%s) - start ))s; PNGs in $work/png"
