#!/usr/bin/env bash
# The whole system on one machine: PostgreSQL, Redis and RabbitMQ (services.sh), the schema, the MDES
# simulator, the gateway wired to it with a generated development key set, and a demo merchant.
# Ctrl-C stops both apps cleanly. State (keys, admin key, demo merchant) lives in .local/ (gitignored).
#
# Settings (environment, optional): GATEWAY_URL (http://127.0.0.1:5080), SIMULATOR_URL (http://127.0.0.1:5081),
# DEMO_TRID (50123456789).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

GATEWAY_URL=${GATEWAY_URL:-http://127.0.0.1:5080}
SIMULATOR_URL=${SIMULATOR_URL:-http://127.0.0.1:5081}
DEMO_TRID=${DEMO_TRID:-50123456789}
state=$root/.local
keys=$state/keys
say() { printf '[run] %s\n' "$*" >&2; }
fail() { printf '[run] ERROR: %s\n' "$*" >&2; exit 1; }

. deploy/local/services.sh

say "building (Release)"
dotnet build ObotrGateway.sln -c Release -nologo -clp:ErrorsOnly -v quiet >&2 || fail "build failed"
api_dir=$root/src/ObotrGateway.Api/bin/Release/net10.0
sim_dir=$root/src/ObotrGateway.MdesSimulator/bin/Release/net10.0

mkdir -p "$state"
chmod 700 "$state"
say "development key set in $keys (generated once, never committed)"
dotnet "$sim_dir/ObotrGateway.MdesSimulator.dll" generate-dev-keys --out "$keys" >&2 || fail "could not generate the development key set"
[ -s "$state/admin-key" ] || (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > "$state/admin-key")
# Keys for data at rest (cryptograms, stored responses) and for PAN fingerprints: 32 random bytes each.
for name in data-protection-key fingerprint-key; do
  [ -s "$state/$name" ] || (umask 077; head -c 32 /dev/urandom | base64 | tr -d '\n' > "$state/$name")
done
export Admin__ApiKey DataProtection__Key DataProtection__FingerprintKey
Admin__ApiKey=$(cat "$state/admin-key")
DataProtection__Key=$(cat "$state/data-protection-key")
DataProtection__FingerprintKey=$(cat "$state/fingerprint-key")
consumer_key=$(cat "$keys/consumer-key.txt")

# Simulator: MDES + issuer console + acquirer. It sends NTUs back to the gateway.
export Simulator__DecryptionKeyPath=$keys/mdes-decryption.key
export Simulator__EncryptionCertificatePath=$keys/mdes-encryption.crt
export Simulator__TokenRequestors__0__ConsumerKey=$consumer_key
export Simulator__TokenRequestors__0__SigningCertificatePath=$keys/tr-signing.crt
export Simulator__TokenRequestors__0__EncryptionCertificatePath=$keys/tr-encryption.crt
export Simulator__TokenRequestors__0__NotificationBaseUrl=$GATEWAY_URL
# Gateway: calls the simulator as MDES and as the acquirer.
export Mdes__BaseUrl=$SIMULATOR_URL/mdes
export Mdes__ConsumerKey=$consumer_key
export Mdes__SigningKeyPath=$keys/tr-signing.key
export Mdes__EncryptionCertificatePath=$keys/mdes-encryption.crt
export Mdes__DecryptionKeys__0__Path=$keys/tr-encryption.key
export Mdes__DecryptionKeys__0__CertificatePath=$keys/tr-encryption.crt
export Mdes__ResponseHost=obotr-gateway.local
export Acquirer__BaseUrl=$SIMULATOR_URL
# The simulator is plain http; outside Development the gateway boots with http upstreams only when told (ADR 0709).
export Mdes__AllowHttp=true Acquirer__AllowHttp=true
# Local webhook receivers are plain http on this machine; production keeps both off (docs/notifications.md).
export Webhooks__AllowHttp=${Webhooks__AllowHttp:-true}
export Webhooks__AllowPrivateNetworks=${Webhooks__AllowPrivateNetworks:-true}
# The simulator calls the NTU callback over plain http on this machine; outside Development the gateway refuses to start
# so unless mutual TLS is on or this opt-out is explicit (it then warns at every start). Production: docs/notifications.md.
export Notifications__AllowUnauthenticatedCallbacks=${Notifications__AllowUnauthenticatedCallbacks:-true}

say "applying migrations"
(cd "$api_dir" && dotnet ObotrGateway.Api.dll migrate) >&2 || fail "migrations failed"

pids=()
# Ctrl-C (or TERM) exits 0; any exit, clean or failed, stops both apps and waits for their graceful shutdown.
stop_apps() {
  [ ${#pids[@]} -gt 0 ] || return 0
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_apps EXIT
trap 'exit 0' INT TERM

mkdir -p "$state/logs"
say "starting the MDES simulator on $SIMULATOR_URL (logs: .local/logs/simulator.log)"
(cd "$sim_dir" && exec dotnet ObotrGateway.MdesSimulator.dll --urls "$SIMULATOR_URL") >"$state/logs/simulator.log" 2>&1 &
pids+=($!)
say "starting the gateway on $GATEWAY_URL (logs: .local/logs/gateway.log)"
(cd "$api_dir" && exec dotnet ObotrGateway.Api.dll --urls "$GATEWAY_URL") >"$state/logs/gateway.log" 2>&1 &
pids+=($!)

wait_ready() { # name url pid
  local i
  for ((i = 0; i < 240; i++)); do
    curl -fsS -o /dev/null "$2/health/ready" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || fail "$1 exited during start-up; see .local/logs ($(tail -n 3 "$state/logs/$4.log" | tr '\n' ' '))"
    sleep 0.25
  done
  fail "$1 was not ready within 60 s; see .local/logs/$4.log"
}
wait_ready "the simulator" "$SIMULATOR_URL" "${pids[0]}" simulator
wait_ready "the gateway" "$GATEWAY_URL" "${pids[1]}" gateway

# Demo merchant: reuse the saved key while it still works; otherwise create the merchant, or rotate its key
# when it exists but the key was lost (keys are stored only as hashes and cannot be shown again).
admin=(-H "Authorization: Bearer $Admin__ApiKey" -H "Content-Type: application/json")
json_field() { sed -nE "s/.*\"$1\":\"([^\"]*)\".*/\\1/p"; }
api_key=$(cat "$state/demo-merchant-key" 2>/dev/null || true)
if [ -z "$api_key" ] || ! curl -fsS -o /dev/null -H "Authorization: Bearer $api_key" "$GATEWAY_URL/v1/merchant"; then
  created=$(curl -sS "${admin[@]}" -d "{\"name\":\"Demo merchant\",\"tokenRequestorId\":\"$DEMO_TRID\"}" "$GATEWAY_URL/v1/admin/merchants")
  api_key=$(json_field apiKey <<<"$created")
  if [ -z "$api_key" ]; then
    merchant_id=$(curl -fsS "${admin[@]}" "$GATEWAY_URL/v1/admin/merchants?limit=200" | tr '{' '\n' | grep "\"tokenRequestorId\":\"$DEMO_TRID\"" | json_field merchantId)
    [ -n "$merchant_id" ] || fail "could not create or find the demo merchant: $created"
    api_key=$(curl -fsS "${admin[@]}" -X POST "$GATEWAY_URL/v1/admin/merchants/$merchant_id/rotate-key" | json_field apiKey)
  fi
  (umask 077; printf '%s' "$api_key" > "$state/demo-merchant-key")
fi
curl -fsS -o /dev/null -H "Authorization: Bearer $api_key" "$GATEWAY_URL/v1/merchant" || fail "the demo merchant's key does not work"

cat <<INFO

  ObotrGateway is running.
    Gateway            $GATEWAY_URL
    OpenAPI            $GATEWAY_URL/openapi/v1.json   (API reference: $GATEWAY_URL/api-reference/)
    MDES simulator     $SIMULATOR_URL   (OpenAPI: $SIMULATOR_URL/openapi/v1.json, reference: $SIMULATOR_URL/api-reference/)
    Demo merchant key  $api_key   (TRID $DEMO_TRID)
    Admin key          $Admin__ApiKey

  Try:  curl -H "Authorization: Bearer $api_key" $GATEWAY_URL/v1/merchant
        or the requests in http/*.http (set @merchantKey and @adminKey there to the keys above)
  Logs: .local/logs/   Stop: Ctrl-C

INFO
wait -n "${pids[@]}" || true
fail "an app stopped unexpectedly; see .local/logs"
