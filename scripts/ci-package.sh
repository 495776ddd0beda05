#!/usr/bin/env bash
# CI entry for the release checks, called by .ci/run after `npm test`:
#   1. scripts/check-package.mjs  build, npm pack, tarball contents, publint, attw, consumer smoke tests
#                                 under Node 22/24 (import + require), Bun, Deno, and the bin
#   2. scripts/check-size.mjs     what an app importing SslOrdersClient loads (18 KB gzip before its first call, 31 KB in all), no node: imports, no ./node or ./redis code
#   3. scripts/check-docs.mjs     typedoc with validation as errors, then the site rendered in headless Chromium
# Every step runs even when an earlier one fails, so one CI run reports everything; the exit code is
# non-zero when any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
# The machine's default node is older than the supported range: use the project's Node 22 (and the npm
# that runs on it), as `npm run` would.
export PATH="$PWD/node_modules/.bin:$PATH"
# This script is the CI entry: a missing Chromium is a failure here, not a skip.
export CI="${CI:-true}"

start=$SECONDS
failed=()
step() {
  local name=$1
  shift
  local t0=$SECONDS
  printf '\n=== %s\n' "$name"
  if "$@"; then
    printf '=== %s: ok (%ss)\n' "$name" "$((SECONDS - t0))"
  else
    printf '=== %s: FAILED (%ss)\n' "$name" "$((SECONDS - t0))"
    failed+=("$name")
  fi
}

step "package + runtimes" node scripts/check-package.mjs
# Fails past either budget: 18 KB gzip before an app's first call, 31 KB for everything it can load.
step "bundle size" node scripts/check-size.mjs
step "docs build + render" node scripts/check-docs.mjs

printf '\nci-package: %ss total\n' "$((SECONDS - start))"
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'ci-package: FAILED: %s\n' "${failed[*]}"
  exit 1
fi
echo 'ci-package: all checks passed'
