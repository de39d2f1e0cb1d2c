#!/usr/bin/env bash
# Benchmark: `orakit tcps issue` for a fleet of hosts, with one thread and with every core,
# beside an openssl shell loop doing the same certificate work per host (new key, CSR,
# certificate signed by the CA with SANs, 3DES PKCS#12 with key, certificate and CA).
# Measures wall time, CPU time (user + sys, children included) and peak memory with
# /usr/bin/time -v, then checks every issued certificate with `openssl verify` and opens
# every issued wallet with openssl and with orakit. Prints a Markdown table.
#
#   bench/fleet.sh                          # 100 and 1000 hosts, rsa2048 and p256
#   SIZES="100" KEYS="p256" bench/fleet.sh  # a quick run
#   TOOLS=orakit bench/fleet.sh             # orakit rows only (no openssl loop, no ratio)
#
# Needs: /usr/bin/time (apt-get install time), openssl, python3. Builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"100 1000"}
KEYS=${KEYS:-"rsa2048 p256"}
TOOLS=${TOOLS:-"orakit openssl"}
CORES=$(nproc)

[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed: apt-get install time" >&2; exit 1; }
cargo build --release --locked --quiet
ORAKIT=$(pwd)/target/release/orakit
WORK=${WORK:-$(mktemp -d)}
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# One RSA-2048 CA for every run, made by openssl.
mkdir -p ca
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca/ca.key -out ca/ca.pem -days 3650 \
  -subj "/O=Example/CN=Fleet Bench Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
echo "Bench-Pass-2026" > pw

# The openssl way, one host: what a shell loop around openssl does today.
cat > openssl_host.sh <<'EOF'
#!/bin/sh
set -e
host=$1 key=$2 out=$3
d=$out/$host
mkdir -p "$d"
if [ "$key" = rsa2048 ]; then
  openssl genrsa -out "$d/key.pem" 2048 2>/dev/null
else
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/key.pem"
fi
openssl req -new -key "$d/key.pem" -subj "/CN=$host" -out "$d/req.pem"
printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$host" > "$d/ext.cnf"
openssl x509 -req -in "$d/req.pem" -CA ca/ca.pem -CAkey ca/ca.key -set_serial "0x$(openssl rand -hex 16)" \
  -days 365 -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
openssl pkcs12 -export -legacy -in "$d/server.pem" -inkey "$d/key.pem" -certfile ca/ca.pem \
  -name orakey -passout file:pw -out "$d/ewallet.p12"
EOF
chmod +x openssl_host.sh

results=results.tsv
: > "$results"

# measure LABEL JOBS HOSTS KEY OUTDIR -- command...
measure() {
  local label=$1 jobs=$2 n=$3 key=$4 out=$5
  shift 6
  rm -rf "$out"
  /usr/bin/time -v -o time.txt "$@" >/dev/null 2>run.log || { cat run.log >&2; exit 1; }
  python3 - "$label" "$jobs" "$n" "$key" >> "$results" <<'PY'
import re, sys
label, jobs, n, key = sys.argv[1:]
t = open("time.txt").read()
user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t).group(1)
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"{n}\t{key}\t{label}\t{jobs}\t{secs:.2f}\t{user + sys_:.2f}\t{rss}")
PY
  tail -1 "$results" >&2
}

# check_all OUTDIR HOSTS P12_NAME CERT_NAME: every certificate verifies, every wallet opens.
check_all() {
  local out=$1 n=$2 p12=$3 cert=$4 ok opened=0
  ok=$(find "$out" -name "$cert" -print0 | xargs -0 openssl verify -CAfile ca/ca.pem | grep -c ': OK$')
  [ "$ok" -eq "$n" ] || { echo "only $ok of $n certificates in $out verify" >&2; exit 1; }
  for f in "$out"/*/$p12 "$out"/*/wallet/$p12; do
    [ -f "$f" ] || continue
    openssl pkcs12 -legacy -in "$f" -passin file:pw -nokeys -out /dev/null 2>/dev/null \
      || { echo "openssl cannot open $f" >&2; exit 1; }
    opened=$((opened + 1))
  done
  [ "$opened" -eq "$n" ] || { echo "opened $opened of $n wallets in $out" >&2; exit 1; }
}

check_orakit_wallets() {
  local out=$1 n=$2 opened=0
  for w in "$out"/*/wallet; do
    "$ORAKIT" wallet display --wallet "$w" >/dev/null || { echo "orakit cannot open $w" >&2; exit 1; }
    opened=$((opened + 1))
  done
  [ "$opened" -eq "$n" ] || { echo "orakit opened $opened of $n wallets" >&2; exit 1; }
}

for n in $SIZES; do
  python3 -c "
import sys
n = int(sys.argv[1])
print('host,sans,service,tcps_port,tcp_port')
for i in range(n):
    print(f'db{i:04d}.example.com,,SVC{i % 50},2484,1521')" "$n" > "hosts$n.csv"
  cut -d, -f1 "hosts$n.csv" | tail -n +2 > "hosts$n.txt"
  for key in $KEYS; do
    for jobs in 1 "$CORES"; do
      case " $TOOLS " in *" orakit "*) ;; *) continue ;; esac
      measure "orakit" "$jobs" "$n" "$key" "o-$n-$key-$jobs" -- \
        "$ORAKIT" tcps issue --ca-dir ca --hosts "hosts$n.csv" --out "o-$n-$key-$jobs" \
        --password-file pw --key-type "$key" --jobs "$jobs"
      check_all "o-$n-$key-$jobs" "$n" ewallet.p12 server.pem
      check_orakit_wallets "o-$n-$key-$jobs" "$n"
      rm -rf "o-$n-$key-$jobs"
    done
    case " $TOOLS " in *" openssl "*) ;; *) continue ;; esac
    measure "openssl loop" 1 "$n" "$key" "s-$n-$key" -- \
      sh -c 'while read -r h; do ./openssl_host.sh "$h" "$1" "$2"; done < "$3"' sh "$key" "s-$n-$key" "hosts$n.txt"
    check_all "s-$n-$key" "$n" ewallet.p12 server.pem
    rm -rf "s-$n-$key"
  done
done

python3 - "$results" "$(openssl version)" "$CORES" "$("$ORAKIT" --version)" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"{sys.argv[4]}, {sys.argv[2]}, {sys.argv[3]} cores\n")
print("| hosts | key | tool | threads | wall s | CPU s | peak RSS MB | openssl loop wall / this wall |")
print("|---:|---|---|---:|---:|---:|---:|---:|")
loop = {(r[0], r[1]): float(r[4]) for r in rows if r[2] == "openssl loop"}
for n, key, tool, jobs, wall, cpu, rss in rows:
    ratio = loop.get((n, key))
    speed = "-" if ratio is None else "1.00x" if tool == "openssl loop" else f"{ratio / float(wall):.2f}x"
    print(f"| {n} | {key} | {tool} | {jobs} | {wall} | {cpu} | {int(rss) / 1024:.1f} | {speed} |")
PY
