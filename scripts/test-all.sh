#!/usr/bin/env bash
# Every check the project has, in the order that fails fastest:
# typecheck, lint, unit, server integration (PGlite, and PostgreSQL when
# TEST_DATABASE_URL is set), build, build checks, end-to-end in Chromium, and
# the fault suite (server process killed and restarted under Chromium devices)
# on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
# Each Vitest project writes a JSON report; check-test-counts fails the run if
# any project ran zero tests or left one skipped, and prints the totals.
set -euo pipefail
cd "$(dirname "$0")/.."

results=test-results
rm -rf "$results"
mkdir -p "$results"

run_project() {
  local project=$1
  echo "::: vitest --project $project"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$results/$project.json"
}

# The browser suites need Debian's Chromium: install it when missing (as .ci/run does).
if [[ -z "${CHROMIUM_PATH:-}" && ! -x /usr/bin/chromium ]]; then
  echo "::: installing Chromium (apt-get install chromium)"
  if [[ $(id -u) -eq 0 ]]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
    echo "Chromium is missing: run 'apt-get install -y chromium' as root, or set CHROMIUM_PATH" >&2
    exit 1
  fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

echo "::: typecheck"
npm run typecheck
echo "::: lint"
npm run lint

run_project unit
run_project integration
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  run_project integration-pg
else
  echo "::: TEST_DATABASE_URL not set: the server suite runs on PGlite only"
fi

echo "::: build"
npm run build
run_project build
run_project e2e
run_project faults
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  run_project faults-pg
fi

npx tsx scripts/check-test-counts.ts "$results"/*.json
