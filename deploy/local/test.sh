#!/usr/bin/env bash
# Runs every test project against real PostgreSQL, Redis and RabbitMQ (started by services.sh) and the MDES
# simulator over real HTTP. Exits non-zero on any failure: build warnings, formatting drift, or a failed test.
set -euo pipefail
cd "$(dirname "$0")/../.."

. deploy/local/services.sh

started=$SECONDS
echo "[test] building (warnings are errors)"
dotnet build ObotrGateway.sln -c Release -nologo -clp:ErrorsOnly

echo "[test] checking formatting (dotnet format --verify-no-changes)"
dotnet format ObotrGateway.sln --verify-no-changes --no-restore

echo "[test] API contract: served OpenAPI documents, Redocly lint, generated client up to date (deploy/local/openapi.sh)"
deploy/local/openapi.sh

echo "[test] rendering and validating the Kubernetes manifests (deploy/k8s/validate.sh)"
deploy/k8s/validate.sh

# Queues left by earlier runs that were killed before their fixture could delete them (a finished run deletes its
# own): test-run prefixes ("t" + 10 hex), and only those no process consumes (a concurrent run keeps its own).
if command -v rabbitmqctl >/dev/null; then
  as_root rabbitmqctl -q list_queues name consumers --no-table-headers 2>/dev/null \
    | grep -E $'^t[0-9a-f]{10}-[^\t]*\t0$' | cut -f1 \
    | while read -r queue; do as_root rabbitmqctl -q delete_queue "$queue" </dev/null >/dev/null 2>&1 || true; done \
    || true # none found (grep exits 1) or the listing failed: nothing to tidy
fi

passed=0 failed=0 skipped=0 status=0
for project in tests/ObotrGateway.UnitTests tests/ObotrGateway.IntegrationTests; do
  echo "[test] $project"
  log=$(mktemp)
  if ! dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"; then
    status=1
  fi
  # The console logger's closing block: "Total tests: N", then "Passed: N", "Failed: N", "Skipped: N" lines.
  grep -qE '^\s*Total tests: [0-9]+' "$log" || { echo "[test] $project printed no test summary"; status=1; }
  count() { sed -nE "s/^\s*$1: +([0-9]+)\s*$/\1/p" "$log" | tail -1; }
  p=$(count Passed) f=$(count Failed) s=$(count Skipped)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  rm -f "$log"
done

echo "[test] finished in $((SECONDS - started)) s"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$failed" = 0 ] || status=1
exit "$status"
