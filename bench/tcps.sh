#!/usr/bin/env bash
# Benchmark: `orakit tcps init` against the same work done with the OpenSSL command line
# and with the JDK's keytool, side by side on one machine. Prints a Markdown table of
# medians and ratios (orakit / other; below 1 means orakit is faster).
#
#   bench/tcps.sh                    # default run counts
#   RUNS=20 RUNS_KEYTOOL=8 bench/tcps.sh
#
# Neither openssl nor keytool can write Oracle's cwallet.sso or .ora files, so their
# sequences stop at the nearest equivalent: PKCS#12 files (3DES, 10000 iterations, SHA-1
# MAC, like ewallet.p12) for the server identity and the client trust store, plus a PEM
# trust file. orakit does strictly more (auto-login wallets, four .ora files, summary).
#
# Needs: hyperfine (apt-get install hyperfine), openssl, keytool (a JRE), python3.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-15}
RUNS_KEYTOOL=${RUNS_KEYTOOL:-6}

command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }
command -v keytool >/dev/null || { echo "keytool is needed (a JRE)" >&2; exit 1; }
cargo build --release --locked --quiet
ORAKIT=$(pwd)/target/release/orakit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export PW='Bench-pw-2026'

orakit_init="$ORAKIT tcps init --host localhost --ip 127.0.0.1 --service ORCLPDB1 --out o-out --password-env PW 2>/dev/null"

openssl_seq="openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj '/CN=localhost TCPS Root CA' 2>/dev/null && \
openssl req -new -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj '/CN=localhost' -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null && \
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 365 -copy_extensions copy -out srv.pem 2>/dev/null && \
openssl pkcs12 -export -inkey srv.key -in srv.pem -certfile ca.pem -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -iter 10000 -passout env:PW -out server.p12 && \
openssl pkcs12 -export -nokeys -in ca.pem -certpbe PBE-SHA1-3DES -macalg sha1 -iter 10000 -passout env:PW -out client.p12 && \
cp ca.pem ewallet.pem"

kt="keytool -storetype PKCS12 -storepass:env PW -keypass:env PW"
keytool_seq="rm -f ca.p12 k-server.p12 k-client.p12 && \
$kt -genkeypair -alias ca -keyalg RSA -keysize 2048 -sigalg SHA256withRSA -dname 'CN=localhost TCPS Root CA' -ext bc:c -validity 3650 -keystore ca.p12 >/dev/null 2>&1 && \
$kt -genkeypair -alias server -keyalg RSA -keysize 2048 -sigalg SHA256withRSA -dname 'CN=localhost' -keystore k-server.p12 >/dev/null 2>&1 && \
$kt -certreq -alias server -keystore k-server.p12 -file k-srv.csr >/dev/null 2>&1 && \
$kt -gencert -alias ca -keystore ca.p12 -infile k-srv.csr -outfile k-srv.pem -rfc -validity 365 -ext SAN=dns:localhost,ip:127.0.0.1 -ext EKU=serverAuth >/dev/null 2>&1 && \
$kt -exportcert -alias ca -keystore ca.p12 -rfc -file k-ca.pem >/dev/null 2>&1 && \
$kt -importcert -noprompt -alias ca -file k-ca.pem -keystore k-server.p12 >/dev/null 2>&1 && \
$kt -importcert -alias server -file k-srv.pem -keystore k-server.p12 >/dev/null 2>&1 && \
$kt -importcert -noprompt -alias ca -file k-ca.pem -keystore k-client.p12 >/dev/null 2>&1"

hyperfine --warmup 2 --runs "$RUNS" --prepare 'rm -rf o-out' --export-json openssl.json \
  -n "orakit tcps init" "$orakit_init" \
  -n "openssl sequence" "$openssl_seq" >&2
hyperfine --warmup 1 --runs "$RUNS_KEYTOOL" --prepare 'rm -rf o-out' --export-json keytool.json \
  -n "orakit tcps init" "$orakit_init" \
  -n "keytool sequence" "$keytool_seq" >&2

python3 - "$(openssl version)" "$(java -version 2>&1 | head -1)" "$(nproc)" <<'PY'
import json, sys
print(f"Machine: {sys.argv[3]} cores; {sys.argv[1]}; {sys.argv[2]}; hyperfine medians (min-max).\n")
print("| compared with | runs | orakit tcps init | other | ratio orakit/other |")
print("|---|---|---|---|---|")
fmt = lambda r: f"{r['median']*1000:.0f} ms ({r['min']*1000:.0f}-{r['max']*1000:.0f})"
for label, path in [("OpenSSL command sequence (6 commands)", "openssl.json"), ("keytool sequence (8 JVM runs)", "keytool.json")]:
    o, s = json.load(open(path))["results"]
    print(f"| {label} | {len(o['times'])} | {fmt(o)} | {fmt(s)} | **{o['median']/s['median']:.2f}x** |")
PY
