#!/usr/bin/env bash
# Runs testssl.sh (Debian package `testssl.sh`: apt-get install -y testssl.sh) against
# a live `filmgrain start` on a spare port, with a fresh development certificate, and
# fails if any protocol below TLS 1.2 or any weak cipher is offered. Findings go to
# docs/SECURITY.md § testssl.sh findings. Usage: scripts/testssl.sh [PORT] (default 47471).
# Output: the full report in $OUT (default /tmp/filmgrain-testssl), JSON and text.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-47471}"
OUT="${OUT:-/tmp/filmgrain-testssl}"
TESTSSL="$(command -v testssl || command -v testssl.sh || true)"
if [ -z "$TESTSSL" ]; then
  echo "testssl.sh not found: apt-get update && apt-get install -y testssl.sh" >&2
  exit 2
fi
rm -rf "$OUT" && mkdir -p "$OUT/data"
if [ -f dist/src/cli/main.js ]; then entry=(dist/src/cli/main.js); else entry=(--import tsx src/cli/main.ts); fi
node "${entry[@]}" start --port "$PORT" --data-dir "$OUT/data" --rate 1 >"$OUT/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q 'Filmgrain is running' "$OUT/server.log" && break
  sleep 0.1
done
# --protocols --std --server-defaults --vulnerable … = the default run minus the slow
# client simulation; --fast skips nothing we report on.
"$TESTSSL" --quiet --color 0 --warnings off --openssl-timeout 5 \
  --protocols --std --each-cipher --server-preference --vulnerable --headers \
  --jsonfile "$OUT/report.json" --logfile "$OUT/report.txt" \
  "127.0.0.1:$PORT" >/dev/null || true
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const rows = (Array.isArray(r) ? r : r.scanResult?.flatMap((s) => Object.values(s).flat()) ?? [])
    .filter((f) => f && f.id);
  const bad = rows.filter((f) => ["HIGH", "CRITICAL", "MEDIUM"].includes(f.severity));
  const offered = (id) => rows.find((f) => f.id === id)?.finding ?? "?";
  for (const p of ["SSLv2", "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3"]) console.log(`${p.padEnd(8)} ${offered(p)}`);
  for (const f of rows.filter((f) => /^cipher_order|^cipherlist_|^cipher-tls/.test(f.id)))
    console.log(`${f.id.padEnd(28)} ${f.severity.padEnd(8)} ${f.finding}`);
  for (const f of bad) console.log(`FINDING ${f.severity} ${f.id}: ${f.finding}`);
  const legacy = ["SSLv2", "SSLv3", "TLS1", "TLS1_1"].filter((p) => !/not offered/.test(offered(p)));
  if (legacy.length || bad.some((f) => /cipher/.test(f.id))) { console.error(`FAIL: legacy ${legacy} / weak ciphers`); process.exit(1); }
  console.log("OK: nothing below TLS 1.2, no weak cipher");
' "$OUT/report.json"
