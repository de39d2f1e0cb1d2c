#!/usr/bin/env bash
# Benchmark: orakit vs OpenSSL side by side on the same machine, for the PKI steps of the
# self-signed Oracle TLS workflow. Prints a Markdown table of medians and ratios
# (orakit time / OpenSSL time; below 1 means orakit is faster).
#
#   bench/pki.sh            # default run counts
#   RUNS_KEYGEN=40 RUNS_FLOW=20 bench/pki.sh
#
# Needs: hyperfine (apt-get install hyperfine), openssl, python3. Builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS_KEYGEN=${RUNS_KEYGEN:-30}
RUNS_KEYGEN_3072=${RUNS_KEYGEN_3072:-15}
RUNS_FLOW=${RUNS_FLOW:-20}

command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }
cargo build --release --locked --quiet
ORAKIT=$(pwd)/target/release/orakit
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# Keys reused by the "existing keys" flow, so it measures certificate work only.
openssl genrsa -out ca.key 2048 2>/dev/null
openssl genrsa -out server.key 2048 2>/dev/null

SUBJ_CA="CN=Bench Root CA, O=Example, C=US"
SUBJ_SRV="CN=db1.example.com, O=Example, C=US"

orakit_flow_new="$ORAKIT ca init --subject '$SUBJ_CA' --key-out o-ca.key --out o-ca.pem --force 2>/dev/null && \
$ORAKIT csr create --key-out o-srv.key --subject '$SUBJ_SRV' --san db1.example.com --out o-srv.csr --force 2>/dev/null && \
$ORAKIT csr sign o-srv.csr --ca-cert o-ca.pem --ca-key o-ca.key --out o-srv.pem --force 2>/dev/null"
openssl_flow_new="openssl req -x509 -newkey rsa:2048 -nodes -keyout s-ca.key -out s-ca.pem -days 3650 -subj '/C=US/O=Example/CN=Bench Root CA' 2>/dev/null && \
openssl req -new -newkey rsa:2048 -nodes -keyout s-srv.key -out s-srv.csr -subj '/C=US/O=Example/CN=db1.example.com' -addext subjectAltName=DNS:db1.example.com 2>/dev/null && \
openssl x509 -req -in s-srv.csr -CA s-ca.pem -CAkey s-ca.key -CAcreateserial -days 365 -copy_extensions copy -out s-srv.pem 2>/dev/null"
orakit_flow_keys="$ORAKIT ca init --subject '$SUBJ_CA' --key ca.key --out o-ca.pem --force 2>/dev/null && \
$ORAKIT csr create --key server.key --subject '$SUBJ_SRV' --san db1.example.com --out o-srv.csr --force 2>/dev/null && \
$ORAKIT csr sign o-srv.csr --ca-cert o-ca.pem --ca-key ca.key --out o-srv.pem --force 2>/dev/null"
openssl_flow_keys="openssl req -x509 -key ca.key -out s-ca.pem -days 3650 -subj '/C=US/O=Example/CN=Bench Root CA' 2>/dev/null && \
openssl req -new -key server.key -out s-srv.csr -subj '/C=US/O=Example/CN=db1.example.com' -addext subjectAltName=DNS:db1.example.com 2>/dev/null && \
openssl x509 -req -in s-srv.csr -CA s-ca.pem -CAkey ca.key -CAcreateserial -days 365 -copy_extensions copy -out s-srv.pem 2>/dev/null"

hyperfine -N --warmup 2 --runs "$RUNS_KEYGEN" --export-json rsa2048.json \
  -n "orakit rsa2048" "$ORAKIT key generate --key-type rsa2048 --out o.key --force" \
  -n "openssl rsa2048" "openssl genrsa -out s.key 2048" >&2
hyperfine -N --warmup 1 --runs "$RUNS_KEYGEN_3072" --export-json rsa3072.json \
  -n "orakit rsa3072" "$ORAKIT key generate --key-type rsa3072 --out o.key --force" \
  -n "openssl rsa3072" "openssl genrsa -out s.key 3072" >&2
hyperfine --warmup 2 --runs "$RUNS_FLOW" --export-json flow-new.json \
  -n "orakit flow, new keys" "$orakit_flow_new" \
  -n "openssl flow, new keys" "$openssl_flow_new" >&2
hyperfine --warmup 2 --runs "$RUNS_FLOW" --export-json flow-keys.json \
  -n "orakit flow, existing keys" "$orakit_flow_keys" \
  -n "openssl flow, existing keys" "$openssl_flow_keys" >&2

python3 - "$(openssl version)" "$(nproc)" <<'PY'
import json, sys
rows = [
    ("RSA-2048 key generation", "rsa2048.json"),
    ("RSA-3072 key generation", "rsa3072.json"),
    ("CA + CSR + sign, new RSA-2048 keys", "flow-new.json"),
    ("CA + CSR + sign, existing RSA-2048 keys", "flow-keys.json"),
]
print(f"Machine: {sys.argv[2]} cores; {sys.argv[1]}; hyperfine medians (min-max).\n")
print("| step | runs | orakit | OpenSSL | ratio orakit/OpenSSL |")
print("|---|---|---|---|---|")
for label, path in rows:
    results = json.load(open(path))["results"]
    o, s = results[0], results[1]
    fmt = lambda r: f"{r['median']*1000:.1f} ms ({r['min']*1000:.0f}-{r['max']*1000:.0f})"
    print(f"| {label} | {len(o['times'])} | {fmt(o)} | {fmt(s)} | **{o['median']/s['median']:.2f}x** |")
PY
