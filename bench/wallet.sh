#!/usr/bin/env bash
# Benchmark: `orakit wallet display` of a 120-certificate wallet and `orakit wallet
# add-trusted` of 120 certificates, side by side with `openssl pkcs12` doing the same
# (export the 120 certificates into a PKCS#12; list them with -info).
#
# Both sides write 3DES PBE, 10000 iterations, SHA-1 MAC (orakit's default profile;
# openssl told so explicitly), and both read the file back with the password.
# Needs: openssl, hyperfine, a release build (`cargo build --release`).
# Usage: bench/wallet.sh [RUNS]   (default 20 runs per command)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
bin="$PWD/target/release/orakit"
[ -x "$bin" ] || cargo build --release
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export BENCH_PW='Bench#Wallet2026'
printf '%s\n' "$BENCH_PW" > pw

echo "== generating 120 test certificates with openssl (EC P-256, self-signed)"
: > bundle.pem
for i in $(seq 1 120); do
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -subj "/O=orakit bench/CN=Bench CA $i" -keyout /dev/null -out c.pem 2>/dev/null
  cat c.pem >> bundle.pem
done
grep -c 'BEGIN CERTIFICATE' bundle.pem

# The wallets the display runs read.
"$bin" wallet create --wallet w --password-file pw >/dev/null 2>&1
"$bin" wallet add-trusted --wallet w --cert bundle.pem --password-file pw 2>/dev/null
openssl pkcs12 -export -nokeys -in bundle.pem -out o.p12 -passout env:BENCH_PW \
  -certpbe PBE-SHA1-3DES -macalg sha1 -iter 10000
test "$("$bin" wallet display --wallet w --password-file pw | grep -c '^Subject:')" = 120
test "$(openssl pkcs12 -info -nokeys -in o.p12 -passin env:BENCH_PW 2>/dev/null | grep -c '^subject=')" = 120

echo "== add 120 trusted certificates to an empty wallet"
hyperfine -N --runs "$runs" --warmup 2 --export-markdown add.md \
  --prepare "sh -c 'rm -rf w2 && $bin wallet create --wallet w2 --password-file pw 2>/dev/null'" \
  -n "orakit wallet add-trusted" "$bin wallet add-trusted --wallet w2 --cert bundle.pem --password-file pw" \
  -n "openssl pkcs12 -export -nokeys" "openssl pkcs12 -export -nokeys -in bundle.pem -out o2.p12 -passout env:BENCH_PW -certpbe PBE-SHA1-3DES -macalg sha1 -iter 10000"

echo "== display a 120-certificate wallet"
hyperfine -N --runs "$runs" --warmup 2 --export-markdown display.md --output=null \
  -n "orakit wallet display" "$bin wallet display --wallet w --password-file pw" \
  -n "orakit wallet display --json" "$bin wallet display --json --wallet w --password-file pw" \
  -n "openssl pkcs12 -info -nokeys" "openssl pkcs12 -info -nokeys -in o.p12 -passin env:BENCH_PW"

cat add.md display.md
