#!/usr/bin/env bash
# Packaging checks for CI, run after `npm run build` (the lead's .ci/run calls this script):
#   1. publint --strict: package.json fields, exports map and files agree with what is packed;
#   2. attw --pack --profile node16: the types resolve for every entry under node16 (from CJS and from ESM)
#      and bundler resolution. The node16 profile leaves out node10 (`moduleResolution: node`) only:
#      node10 ignores the `exports` map, so no subpath entry (rollout-kernel/compat, ...) can resolve there,
#      and the package requires Node >= 20 anyway. Nothing else is ignored; the ESM-only CLI is not an
#      `exports` entry, so attw does not look at it;
#   3. scripts/check-package.mjs: npm pack, install the tarball into a temp project, import() and require()
#      every entry in fresh Node processes, run the `rollout-kernel` bin.
# Set API_REPORT_CHECK=1 to also fail when the API snapshot (etc/api/) differs from the build.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f dist/index.js || ! -f dist/cli.js ]]; then
  echo "error: dist/ is missing: run \`npm run build\` first" >&2
  exit 1
fi

echo "== publint"
npx --no-install publint --strict

echo "== attw (node16 + bundler)"
npx --no-install attw --pack . --profile node16

echo "== smoke test of the packed tarball"
node scripts/check-package.mjs

if [[ "${API_REPORT_CHECK:-0}" == "1" ]]; then
  echo "== API report"
  node scripts/api-report.mjs --check
fi
echo "package checks passed"
