#!/usr/bin/env bash
# Packaging checks for CI, run after `npm run build` (the lead's .ci/run calls this script):
#   1. publint --strict: package.json fields, exports map and files agree with what is packed;
#   2. attw --pack: the types resolve for every entry in every resolution mode: node10 (`moduleResolution:
#      node`, through `typesVersions`), node16 from CJS and from ESM, and bundler. Nothing is ignored;
#   3. scripts/check-package.mjs: npm pack, one copy of each module, bundled xor dependency, install the
#      tarball into a temp project, import() and require() every entry in fresh Node processes, one module
#      instance across entries, the README example on an isolated install, the `rollout-kernel` bin.
# Set API_REPORT_CHECK=1 to also fail when the API snapshot (etc/api/) differs from the build.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f dist/index.js || ! -f dist/cli.cjs ]]; then
  echo "error: dist/ is missing: run \`npm run build\` first" >&2
  exit 1
fi

echo "== publint"
npx --no-install publint --strict

echo "== attw (node10, node16 from CJS and ESM, bundler)"
npx --no-install attw --pack .

echo "== smoke test of the packed tarball"
node scripts/check-package.mjs

if [[ "${API_REPORT_CHECK:-0}" == "1" ]]; then
  echo "== API report"
  node scripts/api-report.mjs --check
fi
echo "package checks passed"
