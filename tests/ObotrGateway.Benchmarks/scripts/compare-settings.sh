#!/usr/bin/env bash
# What a setting costs the pay and NTU paths: the gateway's CPU per operation (gateway_cpu_ms of the pay and ntu
# commands) under each of several settings of the gateway's environment. The settings are interleaved, REPEAT rounds
# of each, each run on a freshly started stack (deploy/local/run.sh on ports 5280/5281, database obotr_paybench), so a
# change in the machine's load falls on all of them alike; the medians per setting and their ratios to the first
# setting are printed at the end (x1.05 = 5 % more CPU per operation than the first). docs/benchmarks.md uses it for
# tracing (issue 14 item 8) and the thread pool's spinning:
#   compare-settings.sh 3 Telemetry__Tracing=false Telemetry__TraceSampleRatio=1.0 Telemetry__TraceSampleRatio=0.0
# A setting may carry several variables separated by commas: A=1,B=2. Results in artifacts/compare-settings/.
# Shorter runs: PAY_SECONDS (default 8 per phase, 2 rounds), NTU_SECONDS (15 per round) and NTU_ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/../../.."
[ $# -ge 2 ] || { echo "usage: $0 REPEAT SETTING [SETTING ...]" >&2; exit 2; }
repeat=$1
shift
settings=("$@")
out=artifacts/compare-settings
mkdir -p "$out"
gateway=http://127.0.0.1:5280
database="Host=127.0.0.1;Port=5432;Database=obotr_paybench;Username=obotr;Password=obotr"
bench=tests/ObotrGateway.Benchmarks/bin/Release/net10.0/ObotrGateway.Benchmarks.dll

dotnet build tests/ObotrGateway.Benchmarks -c Release -nologo -clp:ErrorsOnly -v quiet
results=$out/results.tsv
printf 'round\tsetting\tload_before\tpay_cpu_ms\tntu_cpu_ms\n' > "$results"

stack=
# A failed command stops the comparison but never leaves a stack running.
trap '[ -z "$stack" ] || { kill -TERM "$stack" 2>/dev/null; wait "$stack" 2>/dev/null; }' EXIT
trap 'echo "[compare] failed at line $LINENO" >&2' ERR

run_once() { # round setting
  local log=$out/stack.log gateway_pid load pay ntu i
  local -a variables
  IFS=, read -r -a variables <<<"$2"
  env "${variables[@]}" GATEWAY_URL=$gateway SIMULATOR_URL=http://127.0.0.1:5281 DEMO_TRID=50777000333 OBOTR_DB_NAME=obotr_paybench \
    Messaging__QueuePrefix=paybench Redis__KeyPrefix=paybench: Mdes__TpsOverrides__50777000333=500 Cryptograms__Prefill=20 \
    Throttling__MerchantRequestLimit=1000000 deploy/local/run.sh >"$log" 2>&1 &
  stack=$!
  for ((i = 0; i < 600; i++)); do
    grep -q "ObotrGateway is running" "$log" && break
    kill -0 "$stack" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.5
  done
  gateway_pid=$(pgrep -n -f "ObotrGateway.Api.dll --urls $gateway")
  load=$(cut -d' ' -f1 /proc/loadavg)
  dotnet "$bench" pay --gateway $gateway --simulator http://127.0.0.1:5281 --merchant-key "$(cat .local/demo-merchant-key)" \
    --database "$database" --redis-prefix paybench: --gateway-pid "$gateway_pid" --seconds "${PAY_SECONDS:-8}" --rounds 2 >"$out/pay-$1-$2.log" 2>&1 || true
  dotnet "$bench" ntu --merchant-key "$(cat .local/demo-merchant-key)" --keys .local/keys --database "$database" \
    --gateway $gateway --gateway-pid "$gateway_pid" --rate 40 --seconds "${NTU_SECONDS:-15}" --rounds "${NTU_ROUNDS:-3}" --tokens 50 --ramp none \
    --floor-seconds 3 >"$out/ntu-$1-$2.log" 2>&1 || true
  kill -TERM "$stack"
  wait "$stack" || true
  stack=
  pay=$(sed -nE 's/^RESULT pay .*gateway_cpu_ms=([0-9.]+).*/\1/p' "$out/pay-$1-$2.log")
  ntu=$(sed -nE 's/^RESULT ntu .*gateway_cpu_ms=([0-9.]+).*/\1/p' "$out/ntu-$1-$2.log")
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$load" "${pay:-failed}" "${ntu:-failed}" | tee -a "$results"
}

for ((round = 1; round <= repeat; round++)); do
  for setting in "${settings[@]}"; do
    run_once "$round" "$setting"
  done
done

# Medians per setting, each as a ratio to the first setting's.
awk -F'\t' -v first="${settings[0]}" 'NR > 1 { pay[$2] = pay[$2] " " $4; ntu[$2] = ntu[$2] " " $5 }
  function median(list,   n, v, i, j, t) { n = split(list, v, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
  END { po = median(pay[first]); no = median(ntu[first])
    for (s in pay) printf "%-48s pay %6.2f ms (x%.3f)   ntu %6.2f ms (x%.3f)\n", s, median(pay[s]), median(pay[s]) / po, median(ntu[s]), median(ntu[s]) / no }' "$results"
