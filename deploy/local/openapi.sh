#!/usr/bin/env bash
# The API contract checks (docs/api-contract.md), run by test.sh after the build:
#   1. the contract tests boot the real gateway and simulator and write the documents they serve at /openapi/v1.json to
#      artifacts/openapi/ (and check examples, minimal requests, security and problem responses on every operation);
#   2. Redocly CLI (pinned in tools/openapi/package-lock.json) lints both with its recommended rules: no error, and no
#      warning that tools/openapi/redocly.yaml does not explain;
#   3. Kiota (pinned in .config/dotnet-tools.json) regenerates the C# client from the served gateway document, which
#      must equal the committed one in tests/ObotrGateway.IntegrationTests/GeneratedClient (ADR 1002).
# `openapi.sh --update-client` rewrites the committed client instead of comparing (after a contract change).
# Needs the solution built in Release, PostgreSQL/Redis/RabbitMQ (services.sh), and Node.js with npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { printf '[openapi] %s\n' "$*" >&2; }
fail() { printf '[openapi] ERROR: %s\n' "$*" >&2; exit 1; }

update=false
[ "${1:-}" = --update-client ] && update=true

# Node.js: Debian's packages when missing. @redocly/cli 2.x needs 20.19+ or 22.12+; an older system Node.js (Debian 12
# ships 18) runs it with Node.js 22 from the npm registry's node-linux-<arch> package instead of failing.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js and npm (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || fail "apt-get update failed"
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nodejs npm >&2 || fail "apt-get install nodejs npm failed"
fi
node=node
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a >= 22 || (a === 20 && b >= 19) ? 0 : 1)'; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) fail "Node.js $(node --version) is too old for @redocly/cli and no packaged Node.js fits $(uname -m)" ;; esac
  if [ ! -x "tools/openapi/.node/node_modules/node-linux-$arch/bin/node" ]; then
    say "Node.js $(node --version) is too old for @redocly/cli: installing node-linux-$arch 22.12.0 from the npm registry"
    npm install --prefix tools/openapi/.node --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@22.12.0" >&2
  fi
  node=tools/openapi/.node/node_modules/node-linux-$arch/bin/node
fi

# npm ci once per lock file: a stamp of the lock it installed from tells whether node_modules is current.
if ! cmp -s tools/openapi/package-lock.json tools/openapi/node_modules/.installed-from-lock 2>/dev/null; then
  say "installing the linter (npm ci)"
  npm ci --prefix tools/openapi --no-audit --no-fund --loglevel=error >&2
  cp tools/openapi/package-lock.json tools/openapi/node_modules/.installed-from-lock
fi

say "contract tests (they write the served documents to artifacts/openapi/)"
rm -f artifacts/openapi/gateway.json artifacts/openapi/simulator.json
dotnet test tests/ObotrGateway.IntegrationTests -c Release --no-build -nologo --filter "FullyQualifiedName~ObotrGateway.IntegrationTests.Contract" \
  || fail "the contract tests failed"
[ -s artifacts/openapi/gateway.json ] && [ -s artifacts/openapi/simulator.json ] || fail "the contract tests wrote no documents"

say "lint (Redocly recommended rules, tools/openapi/redocly.yaml)"
lint=$(NO_COLOR=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$node" tools/openapi/node_modules/@redocly/cli/bin/cli.js lint --config tools/openapi/redocly.yaml --format=summary 2>&1) \
  || { printf '%s\n' "$lint" >&2; fail "lint found errors"; }
printf '%s\n' "$lint" | grep -E '^(error|warning)|validated' >&2 || true
if printf '%s\n' "$lint" | grep -qE '^warning'; then
  fail "lint warnings: fix them, or turn the rule off in tools/openapi/redocly.yaml with the reason"
fi

say "generated client (Kiota, from the served gateway document)"
dotnet tool restore >/dev/null
generated=tests/ObotrGateway.IntegrationTests/GeneratedClient
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
KIOTA_UPDATE__DISABLED=true KIOTA_TUTORIAL__ENABLED=false dotnet kiota generate --language CSharp --openapi artifacts/openapi/gateway.json --output "$out" \
  --class-name GatewayClient --namespace-name ObotrGateway.IntegrationTests.GeneratedClient \
  --exclude-backward-compatible --clean-output --log-level Error >&2 || fail "kiota could not generate a client"
# Kiota would look for a newer version of itself on GitHub (no such network here); the KIOTA_ settings above stop it.
# kiota-lock.json records the document's hash and the generating machine's paths, .kiota.log the run: not the contract.
rm -f "$out/kiota-lock.json" "$out/.kiota.log"
if $update; then
  rm -rf "$generated" && mkdir -p "$generated" && cp -r "$out"/. "$generated"/
  say "rewrote $generated"
elif ! diff -r -q -x .kiota.log "$generated" "$out" >&2; then
  fail "the committed client in $generated is not what Kiota generates from the served document: run deploy/local/openapi.sh --update-client and commit"
fi
say "contract checks passed"
