#!/usr/bin/env bash
# One BMC run, timed, with the 1-minute load before and after, then the explicit search with the same
# arguments, and a property-by-property comparison of verdict and length (docs/benchmarks.md,
# "BMC after the tactic pipeline").
#   scripts/bmc-vs-explicit.sh NAME [verify check arguments, e.g. --depth 2 -s cpython-3.12 [SPEC]]
# Writes $OUT/NAME.{bmc.json,exp.json,time,diag,load}; prints one summary line.
set -u
VERIFY=${VERIFY:-/tmp/art-bmcbench-rel/bin/Verify.Checker/release/verify}
OUT=${OUT:-/tmp/bmcbench}
name=$1; shift
mkdir -p "$OUT"
load() { uptime | sed 's/.*load average: \([0-9.]*\),.*/\1/'; }
l0=$(load)
VERIFY_BMC_DIAGNOSTICS=1 /usr/bin/time -o "$OUT/$name.time" -f "%U user %e wall %M KB" \
  "$VERIFY" check "$@" --engine bmc --max-seconds 600 --json -o "$OUT/$name.bmc-out" \
  > "$OUT/$name.bmc.json" 2> "$OUT/$name.diag"
l1=$(load)
echo "$l0 $l1" > "$OUT/$name.load"
"$VERIFY" check "$@" --max-seconds 600 --json -o "$OUT/$name.exp-out" > "$OUT/$name.exp.json" 2>/dev/null
python3 - "$OUT" "$name" <<'PY'
import json, sys
out, name = sys.argv[1], sys.argv[2]
b = json.load(open(f"{out}/{name}.bmc.json")); e = json.load(open(f"{out}/{name}.exp.json"))
t = open(f"{out}/{name}.time").read().split("\n")[-2]
l0, l1 = open(f"{out}/{name}.load").read().split()
diffs, found = [], []
for rb, re_ in zip(b["results"], e["results"]):
    assert rb["semantics"] == re_["semantics"]
    pe = {p["name"]: p for p in re_["properties"]}
    for p in rb["properties"]:
        q = pe[p["name"]]
        if (p["verdict"], p["length"]) != (q["verdict"], q["length"]):
            diffs.append(f'{rb["semantics"]}/{p["name"]}: bmc {p["verdict"]} {p["length"]} explicit {q["verdict"]} {q["length"]}')
        if p["length"] is not None:
            found.append(f'{p["name"]} {p["verdict"]} {p["length"]}')
        elif p["verdict"] == "incomplete":
            found.append(f'{p["name"]} incomplete')
print(f"{name}: {t}; load {l0}->{l1}; bmc complete={b['complete']} interrupted={b['interrupted']}; "
      f"explicit complete={e['complete']}")
print("  found: " + "; ".join(found))
print("  AGREE" if not diffs else "  DISAGREE:\n    " + "\n    ".join(diffs))
PY
grep 'open:' "$OUT/$name.diag" | sed 's/^/  /'
