#!/usr/bin/env bash
# Renders the kustomize base and every overlay under deploy/k8s with `kubectl kustomize` and validates every object
# against the Kubernetes schemas (npm package kubernetes-models, pinned in .validate/package-lock.json): types,
# required fields, enums and formats, unknown fields, and no literal secret values. Exits non-zero on any failure.
# Installs its Node.js packages itself (npm ci into .validate/node_modules, gitignored). Needs kubectl with kustomize
# v5 and Node.js with npm.
set -euo pipefail
cd "$(dirname "$0")"
say() { printf '[k8s] %s\n' "$*" >&2; }
fail() { printf '[k8s] ERROR: %s\n' "$*" >&2; exit 1; }

command -v kubectl >/dev/null || fail "kubectl is required (it renders the overlays with its built-in kustomize)"
command -v node >/dev/null && command -v npm >/dev/null || fail "Node.js and npm are required (the schema validator)"

# npm ci once per lock file: a stamp of the lock it installed from tells whether node_modules is current.
if ! cmp -s .validate/package-lock.json .validate/node_modules/.installed-from-lock 2>/dev/null; then
  say "installing the validator's packages (npm ci)"
  npm ci --prefix .validate --no-audit --no-fund --loglevel=error >&2
  cp .validate/package-lock.json .validate/node_modules/.installed-from-lock
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rendered=()
for dir in base overlays/*/; do
  dir=${dir%/}
  file=$out/${dir//\//-}.yaml
  kubectl kustomize "$dir" >"$file" || fail "kubectl kustomize $dir failed"
  rendered+=("$file")
done
say "rendered: ${rendered[*]##*/}"
node .validate/validate.mjs "${rendered[@]}"
