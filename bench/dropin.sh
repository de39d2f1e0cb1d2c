#!/bin/sh
# The drop-in corpus's common sequence (seed server wallet, its JKS key and trust stores
# and back, client wallet, mkstore credentials and a user credential, orapki secretstore
# entries and a credential) run N times as
# whole processes through Oracle's orapki/mkstore (JVM) and through orakit's front end;
# prints wall seconds per pass and the ratio.
# Usage: bench/dropin.sh [N] (needs target/oracle-peers and target/release/orakit or debug)
set -eu
N=${1:-3}
cd "$(dirname "$0")/.."
ORAKIT=${ORAKIT:-target/release/orakit}
[ -x "$ORAKIT" ] || ORAKIT=target/debug/orakit
ORAKIT=$(realpath "$ORAKIT")
CP=$(realpath target/oracle-peers/23ai/oraclepki.jar):$(realpath target/oracle-peers/23ai/osdt_core.jar):$(realpath target/oracle-peers/23ai/osdt_cert.jar)
JAVA="java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj "/CN=Bench Root" \
  -keyout "$W/ca.key" -out "$W/ca.pem" 2>/dev/null
P=Bench2026pwd#xyz
export ORAKIT_DROPIN_QUIET=1
corpus() { # $1: orapki command, $2: mkstore command, $3: dir
  d=$3; rm -rf "$d"; mkdir -p "$d"; cp "$W/ca.pem" "$W/ca.key" "$d"; cd "$d"
  $1 wallet create -wallet server -pwd $P -auto_login -nologo
  $1 wallet add -wallet server -trusted_cert -cert ca.pem -pwd $P -nologo
  $1 wallet add -wallet server -dn CN=dms -keysize 2048 -pwd $P -nologo
  $1 wallet export -wallet server -dn CN=dms -request server.csr -pwd $P -nologo
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.crt -days 365 -sha256 2>/dev/null
  $1 wallet add -wallet server -user_cert -cert server.crt -pwd $P -nologo
  $1 wallet display -wallet server -complete -pwd $P -nologo
  $1 wallet pkcs12_to_jks -wallet server -jksKeyStoreLoc ks.jks -jksKeyStorepwd $P -jksTrustStoreLoc ts.jks -jksTrustStorepwd $P -pwd $P -nologo
  $1 wallet create -wallet fromjks -pwd $P -nologo
  $1 wallet jks_to_pkcs12 -wallet fromjks -keystore ks.jks -jkspwd $P -pwd $P -nologo
  $1 wallet create -wallet client -auto_login_only -nologo
  $1 wallet add -wallet client -trusted_cert -cert ca.pem -auto_login_only -nologo
  $1 wallet display -wallet client -nologo
  printf '%s\n%s\n' $P $P | $2 -wrl creds -create -nologo
  printf '%s\n' $P | $2 -wrl creds -createCredential db1 scott tiger -nologo
  printf '%s\n' $P | $2 -wrl creds -listCredential -nologo
  printf '%s\n' $P | $2 -wrl creds -createUserCredential appmap k1 scott tiger -nologo
  $1 secretstore create_entry -wallet creds -alias app.secret -secret s3cr3t -pwd $P -nologo
  $1 secretstore create_credential -wallet creds -connect_string db2 -username hr -password hrpw -pwd $P -nologo
  $1 secretstore list_entries -wallet creds -pwd $P -nologo
  cd - >/dev/null
}
time_it() { s=$(date +%s.%N); i=0; while [ $i -lt $N ]; do corpus "$1" "$2" "$W/run" >/dev/null; i=$((i+1)); done; e=$(date +%s.%N); echo "($e - $s) / $N" | bc -l; }
oracle=$(time_it "$JAVA -cp $CP oracle.security.pki.textui.OraclePKITextUI" "$JAVA -cp $CP oracle.security.pki.OracleSecretStoreTextUI")
ours=$(time_it "$ORAKIT orapki" "$ORAKIT mkstore")
printf 'corpus pass (20 tool processes + 1 openssl): Oracle %.2f s, orakit %.3f s, ratio %.1fx\n' "$oracle" "$ours" "$(echo "$oracle / $ours" | bc -l)"
