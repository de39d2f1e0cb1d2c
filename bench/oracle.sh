#!/usr/bin/env bash
# Benchmark: the seed's self-signed TCPS workflow done with Oracle's real orapki (the JVM
# tool from Maven Central's oraclepki jars, both releases) against `orakit tcps init`,
# whole processes side by side. Prints a Markdown table of medians and ratios
# (orakit / orapki; below 1 means orakit is faster), for wall time and for CPU time (user +
# system, which a loaded machine distorts less).
#
#   bench/oracle.sh              # RUNS=3 per sequence and release (each orapki run is a JVM)
#   RUNS=10 bench/oracle.sh
#   RELEASES=23ai bench/oracle.sh
#
# Two orapki sequences, each ending with the same wallets `tcps init` writes (a server
# auto-login wallet with the root trusted and the server's key + signed certificate, an
# auto-login-only client wallet with the root):
#   seed:   the AWS DMS guide's steps as written: openssl genrsa + req -x509 for the root,
#           orapki wallet create / add -trusted_cert / add -dn / export -request, openssl x509
#           -req to sign, orapki add -user_cert, orapki create -auto_login_only + add
#           -trusted_cert for the client (7 orapki runs, 3 openssl runs; the displays the
#           guide sprinkles in are left out).
#   orapki: orapki alone: a root CA wallet with -self_signed, export -cert, the server
#           wallet's add -dn, export -request, `orapki cert create` signing with the root
#           wallet, add -trusted_cert + add -user_cert, the client auto-login-only wallet
#           (11 orapki runs).
# orakit additionally writes ewallet.pem, four .ora files and a JSON summary.
#
# orapki runs with the JVM flags the test ring uses for a short-lived JVM (C1 only, serial
# GC, class-data sharing): faster than Oracle's own orapki script, so the ratio is, if
# anything, kind to orapki.
#
# Needs: hyperfine (apt-get install hyperfine), openssl, java, python3, the peers of
# scripts/oracle-peers.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
RELEASES=${RELEASES:-"19c 23ai"}

command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }
PEERS=$(scripts/oracle-peers.sh --print-dir)
[ -f "$PEERS/23ai/oraclepki.jar" ] || { echo "Oracle peers are missing: run scripts/oracle-peers.sh" >&2; exit 1; }
cargo build --release --locked --quiet
ORAKIT=$(pwd)/target/release/orakit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export PW='Bench-orapki-pw-2026x'   # 16+ characters: orapki 23ai warns below that

orakit_init="$ORAKIT tcps init --host localhost --ip 127.0.0.1 --service ORCLPDB1 --out o-out --password-env PW 2>/dev/null"

for rel in $RELEASES; do
  cp="$PEERS/$rel/oraclepki.jar:$PEERS/$rel/osdt_core.jar:$PEERS/$rel/osdt_cert.jar"
  orapki="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp $cp oracle.security.pki.textui.OraclePKITextUI"
  root_dn="CN=localhost TCPS Root CA"

  seed="rm -rf s && mkdir s && cd s && \
openssl genrsa -out self-rootCA.key 2048 2>/dev/null && \
openssl req -x509 -new -nodes -key self-rootCA.key -sha256 -days 1024 -out self-rootCA.pem -subj '/$root_dn' && \
$orapki wallet create -wallet server -pwd \$PW -auto_login && \
$orapki wallet add -wallet server -trusted_cert -cert self-rootCA.pem -pwd \$PW && \
$orapki wallet add -wallet server -dn CN=localhost -keysize 2048 -sign_alg sha256 -pwd \$PW && \
$orapki wallet export -wallet server -dn CN=localhost -request self-signed-oracle.csr -pwd \$PW && \
openssl x509 -req -in self-signed-oracle.csr -CA self-rootCA.pem -CAkey self-rootCA.key -CAcreateserial -out self-signed-oracle.crt -days 365 -sha256 2>/dev/null && \
$orapki wallet add -wallet server -user_cert -cert self-signed-oracle.crt -pwd \$PW && \
$orapki wallet create -wallet client -auto_login_only && \
$orapki wallet add -wallet client -trusted_cert -cert self-rootCA.pem -auto_login_only"

  alone="rm -rf a && mkdir a && cd a && \
$orapki wallet create -wallet root -pwd \$PW && \
$orapki wallet add -wallet root -dn '$root_dn' -keysize 2048 -self_signed -validity 3650 -sign_alg sha256 -pwd \$PW && \
$orapki wallet export -wallet root -dn '$root_dn' -cert root.pem -pwd \$PW && \
$orapki wallet create -wallet server -pwd \$PW -auto_login && \
$orapki wallet add -wallet server -dn CN=localhost -keysize 2048 -sign_alg sha256 -pwd \$PW && \
$orapki wallet export -wallet server -dn CN=localhost -request server.csr -pwd \$PW && \
$orapki cert create -wallet root -request server.csr -cert server.crt -validity 365 -sign_alg sha256 -pwd \$PW && \
$orapki wallet add -wallet server -trusted_cert -cert root.pem -pwd \$PW && \
$orapki wallet add -wallet server -user_cert -cert server.crt -pwd \$PW && \
$orapki wallet create -wallet client -auto_login_only && \
$orapki wallet add -wallet client -trusted_cert -cert root.pem -auto_login_only"

  # One checked run of each sequence first: orapki reports errors on stdout, sometimes with
  # exit 0, so its output is searched, and the wallets must hold what they should.
  for seq in seed alone; do
    log="check-$rel-$seq.log"
    bash -c "${!seq}" >"$log" 2>&1 || { cat "$log" >&2; echo "$rel $seq sequence failed" >&2; exit 1; }
    if grep -q 'PKI-\|Exception' "$log"; then cat "$log" >&2; echo "$rel $seq: orapki reported an error" >&2; exit 1; fi
    d=$([ "$seq" = seed ] && echo s || echo a)
    shown=$($orapki wallet display -wallet "$d/server" -nologo)
    echo "$shown" | grep -q 'Subject: *CN=localhost$' || { echo "$shown" >&2; echo "$rel $seq: no user certificate" >&2; exit 1; }
    $orapki wallet display -wallet "$d/client" -nologo | grep -q "Subject: *$root_dn" || { echo "$rel $seq: client wallet lacks the root" >&2; exit 1; }
  done

  hyperfine --warmup 0 --runs "$RUNS" --prepare 'rm -rf o-out' --export-json "$rel.json" \
    -n "orakit tcps init" "$orakit_init" \
    -n "orapki $rel, seed (openssl + orapki)" "$seed >/dev/null" \
    -n "orapki $rel alone" "$alone >/dev/null" >&2
done

python3 - "$(openssl version)" "$(java -version 2>&1 | head -1)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" $RELEASES <<'PY'
import json, sys
print(f"Machine: {sys.argv[3]} cores, load average {sys.argv[4]} at the end; {sys.argv[1]}; {sys.argv[2]}.")
print("Wall: hyperfine median (min-max); CPU: mean user + system time of the process tree.\n")
print("| orapki release | sequence | runs | orakit tcps init wall | orapki sequence wall | wall ratio orakit/orapki | orakit CPU | orapki CPU | CPU ratio |")
print("|---|---|---|---|---|---|---|---|---|")
fmt = lambda r: f"{r['median']*1000:.0f} ms ({r['min']*1000:.0f}-{r['max']*1000:.0f})"
cpu = lambda r: r["user"] + r["system"]
for rel in sys.argv[5:]:
    o, seed, alone = json.load(open(f"{rel}.json"))["results"]
    for label, r in [("seed: openssl + 7 orapki runs", seed), ("orapki alone: 11 runs", alone)]:
        print(f"| {rel} | {label} | {len(r['times'])} | {fmt(o)} | {fmt(r)} | **{o['median']/r['median']:.3f}x** "
              f"| {cpu(o)*1000:.0f} ms | {cpu(r)*1000:.0f} ms | **{cpu(o)/cpu(r):.3f}x** |")
PY
