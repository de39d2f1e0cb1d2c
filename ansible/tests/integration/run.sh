#!/usr/bin/env bash
# Integration run of the orakit.tcps collection against three separate hosts: a network
# namespace each, joined to this machine by a veth pair, each with its own sshd (Debian
# openssh-server; host keys, client key, config and port made for this run only), sharing the
# root file system but with ORACLE_HOME / TNS_ADMIN / wallet under its own directory.
#
#   1. the playbook (tests/integration/site.yml, the orakit.tcps.fleet role) issues and
#      installs wallets and Oracle Net entries on all hosts; the handler records a reload;
#   2. a second run reports changed=0 and reloads nothing;
#   3. two hosts are tampered with; check mode reports them and changes no file;
#   4. the next run repairs them (and only them);
#   5. a renewal run (orakit_renew_within) renews every certificate on its key and installs
#      it, reloading each listener once; the run after it reports changed=0;
#   6. every installed wallet opens in Oracle's orapki (23ai) and serves a TLS handshake
#      (openssl s_server in the host's namespace, key and certificate exported by orakit)
#      that the client wallet's root verifies;
#   7. a root rotation through the role (orakit_rotate_root, orakit tcps rotate-root) on the
#      same hosts: phase trust (orapki lists both roots in every wallet), its rerun
#      changed=0, phase reissue in check mode (reported, no file changed), reissue (new
#      root's certificates, same keys, the phase-1 client wallet verifies them), its rerun,
#      retire on two hosts (--limit) and then, with the new CA as orakit_ca_dir, on the
#      third only (orapki lists only the new root; a certificate of the old root is refused).
# Needs root (ip netns), ansible-core (ANSIBLE_VENV), sshd, openssl, java, the 23ai peers.
# Namespaces, sshds and servers are removed at the end, also on failure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$ROOT/ansible/tests/integration
COLLECTION=$ROOT/ansible/ansible_collections/orakit/tcps
ORAKIT=${ORAKIT:-$ROOT/target/debug/orakit}
ANSIBLE_VENV=${ANSIBLE_VENV:-$ROOT/target/ansible-venv}
PEERS=${PEERS:-$ROOT/target/oracle-peers/23ai}
HOSTS=3
CA_SUBJECT="CN=orakit integration root"

fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (network namespaces)"
[ -x "$ORAKIT" ] || fail "$ORAKIT missing: cargo build"
[ -x "$ANSIBLE_VENV/bin/ansible-playbook" ] || fail "no ansible-core in $ANSIBLE_VENV (see .ci/run)"
[ -x /usr/sbin/sshd ] || fail "no /usr/sbin/sshd: apt-get install openssh-server"
[ -f "$PEERS/oraclepki.jar" ] || fail "Oracle's orapki is missing in $PEERS: scripts/oracle-peers.sh"
export PATH=$ANSIBLE_VENV/bin:$PATH

W=$(mktemp -d /tmp/ansible-hosts.XXXXXX)
chmod 0755 "$W"
TAG=$$
ns() { echo "okans$TAG-$1"; }
cleanup() {
  local rc=$?
  set +e
  for pidfile in "$W"/host*/sshd.pid "$W"/tls/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  for i in $(seq 1 $HOSTS); do
    ip netns del "$(ns "$i")" 2>/dev/null   # also removes both ends of its veth pair
  done
  if [ $rc -ne 0 ]; then
    echo "integration run FAILED (exit $rc); logs:" >&2
    tail -n 40 "$W"/run*.log 2>/dev/null | tail -n 120 >&2
    for l in "$W"/host*/sshd.log; do [ -s "$l" ] && { echo "== $l" >&2; tail -n 5 "$l" >&2; }; done
  fi
  [ -n "${KEEP:-}" ] && echo "kept $W" >&2 || rm -rf "$W"
  exit $rc
}
trap cleanup EXIT INT TERM

echo "== hosts: $HOSTS network namespaces with sshd, under $W"
ssh-keygen -q -t ed25519 -N '' -C orakit-ansible-test -f "$W/client_key"
cp "$W/client_key.pub" "$W/authorized_keys"
: > "$W/known_hosts"
mkdir -p /run/sshd
for i in $(seq 1 $HOSTS); do
  h=$W/host$i
  mkdir -p "$h/oracle/network/admin" "$h/bin"
  ip netns add "$(ns "$i")"
  ip link add "okh$TAG$i" type veth peer name "okn$TAG$i"
  ip link set "okn$TAG$i" netns "$(ns "$i")"
  ip addr add "10.213.$i.1/30" dev "okh$TAG$i"
  ip link set "okh$TAG$i" up
  ip -n "$(ns "$i")" addr add "10.213.$i.2/30" dev "okn$TAG$i"
  ip -n "$(ns "$i")" link set "okn$TAG$i" up
  ip -n "$(ns "$i")" link set lo up
  ssh-keygen -q -t ed25519 -N '' -f "$h/ssh_host_ed25519_key"
  cat > "$h/sshd_config" <<CFG
Port $((2200 + i))
ListenAddress 10.213.$i.2
HostKey $h/ssh_host_ed25519_key
PidFile $h/sshd.pid
AuthorizedKeysFile $W/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CFG
  ip netns exec "$(ns "$i")" /usr/sbin/sshd -f "$h/sshd_config" -E "$h/sshd.log"
  echo "[10.213.$i.2]:$((2200 + i)) $(cut -d' ' -f1,2 "$h/ssh_host_ed25519_key.pub")" >> "$W/known_hosts"
  # What the DBA had before: a plain listener, a comment and a setting the merge must keep.
  printf '%s\n' '# listener.ora of host'"$i"' (kept by orakit net --update)' \
    'LISTENER =' '  (DESCRIPTION_LIST =' '    (DESCRIPTION =' \
    "      (ADDRESS = (PROTOCOL = TCP)(HOST = 10.213.$i.2)(PORT = 1521))))" \
    'ADR_BASE_LISTENER = /u01/app/oracle' > "$h/oracle/network/admin/listener.ora"
  printf '%s\n' 'NAMES.DIRECTORY_PATH = (TNSNAMES, EZCONNECT)' > "$h/oracle/network/admin/sqlnet.ora"
done

# The binary the role installs: the debug build without its debug sections (~6x smaller).
objcopy --strip-debug "$ORAKIT" "$W/orakit"

# Test-only secrets, made now, handed to Ansible in a 0600 vars file (never on argv).
WALLET_PW="Wt$(openssl rand -hex 12)9"
DB_PW="Db$(openssl rand -hex 12)7"
( umask 077; printf 'orakit_wallet_password: "%s"\norakit_credential_wallet_password: "%s"\ntest_db_password: "%s"\n' \
  "$WALLET_PW" "$WALLET_PW" "$DB_PW" > "$W/secrets.yml" )

{
  echo "all:"
  echo "  vars:"
  echo "    ansible_user: root"
  echo "    ansible_ssh_private_key_file: $W/client_key"
  echo "    ansible_ssh_common_args: -o UserKnownHostsFile=$W/known_hosts -o StrictHostKeyChecking=yes"
  echo "    ansible_python_interpreter: /usr/bin/python3"
  echo "    orakit_binary_src: $W/orakit"
  echo "    orakit_tcps_dir: $W/controller"
  echo "    orakit_ca_subject: \"$CA_SUBJECT\""
  echo "    orakit_tcp_port: 1521"
  echo "    orakit_listener_reload_command: echo reload >> {{ orakit_oracle_home }}/reloads.log"
  echo "  children:"
  echo "    databases:"
  echo "      hosts:"
  for i in $(seq 1 $HOSTS); do
    h=$W/host$i
    echo "        host$i:"
    echo "          ansible_host: 10.213.$i.2"
    echo "          ansible_port: $((2200 + i))"
    echo "          orakit_cert_sans: [10.213.$i.2]"
    echo "          orakit_service: SVC$i"
    echo "          orakit_bin: $h/bin/orakit"
    echo "          orakit_oracle_home: $h/oracle"
    echo "          orakit_wallet_dir: $h/wallet"
    if [ "$i" = 1 ]; then
      echo "          orakit_credential_wallet: $h/dba-wallet"
      echo "          orakit_credentials:"
      echo "            - {connect_string: SVC1_host1, username: monitor, password: \"{{ test_db_password }}\"}"
    fi
  done
} > "$W/inventory.yml"

echo "== the collection: ansible-galaxy collection build / install"
ansible-galaxy collection build "$COLLECTION" --output-path "$W/dist" >/dev/null
ansible-galaxy collection install "$W"/dist/orakit-tcps-*.tar.gz -p "$W/collections" >/dev/null
export ANSIBLE_COLLECTIONS_PATH=$W/collections
export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_HOST_KEY_CHECKING=1
export ANSIBLE_PIPELINING=1 ANSIBLE_FORKS=$HOSTS ANSIBLE_LOCAL_TEMP=$W/ansible-tmp
export ANSIBLE_CALLBACK_PLUGINS=$HERE/callback_plugins ANSIBLE_CALLBACKS_ENABLED=task_seconds
ansible-doc -t module orakit.tcps.wallet >/dev/null

RUNS=0
play() {  # play NAME [ansible-playbook options]: runs site.yml, log in $W/run-NAME.log
  local name=$1; shift
  RUNS=$((RUNS + 1))
  local start=$SECONDS
  if ! ansible-playbook -v -i "$W/inventory.yml" -e "@$W/secrets.yml" "$@" "$HERE/site.yml" \
      > "$W/run-$name.log" 2>&1; then
    tail -n 60 "$W/run-$name.log" >&2
    fail "playbook run '$name' failed"
  fi
  echo "   run '$name': $((SECONDS - start)) s; $(grep '^slowest tasks:' "$W/run-$name.log" | tail -1)"
  if grep -qF -e "$WALLET_PW" -e "$DB_PW" "$W/run-$name.log"; then
    fail "a secret appears in the output of run '$name'"
  fi
}
# recap HOST LOG: the changed= count of HOST in the play recap.
recap() {
  awk -v h="$1" '/^PLAY RECAP/{r=1; next} r && $1==h {for(i=2;i<=NF;i++) if($i ~ /^changed=/){sub("changed=","",$i); print $i}}' "$2"
}
recap_ok() {  # recap_ok LOG [N]: N hosts (default all) in the recap, each failed=0 unreachable=0
  local n
  n=$(awk '/^PLAY RECAP/{r=1; next} r && NF>1 && /failed=0/ && /unreachable=0/ {c++} END{print c+0}' "$1")
  [ "$n" = "${2:-$HOSTS}" ] || fail "$1: not every host ended failed=0 unreachable=0"
}
reloads() { [ -f "$W/host$1/oracle/reloads.log" ] && wc -l < "$W/host$1/oracle/reloads.log" || echo 0; }
expect_changed() {  # expect_changed LOG "want1 want2 want3" (a number, or + for >0)
  local log=$1 i=1 got
  for want in $2; do
    got=$(recap "host$i" "$log")
    [ -n "$got" ] || fail "$log: host$i missing from the play recap"
    if [ "$want" = + ]; then [ "$got" -gt 0 ] || fail "$log: host$i changed=$got, expected changes"
    else [ "$got" = "$want" ] || fail "$log: host$i changed=$got, expected $want"; fi
    i=$((i + 1))
  done
}
expect_reloads() {
  local i=1
  for want in $1; do
    [ "$(reloads $i)" = "$want" ] || fail "host$i: listener reloaded $(reloads $i) times, expected $want"
    i=$((i + 1))
  done
}
digests() {
  find "$W/controller" "$W"/host? -path '*/sshd.*' -prune -o -type f -printf '%p %s %T@ %m\n' | sort > "$1"
  find "$W/controller" "$W"/host? -path '*/sshd.*' -prune -o -type f -print0 | sort -z | xargs -0 sha256sum >> "$1"
}

echo "== 1. first run: issue and install on every host"
play first
recap_ok "$W/run-first.log"
expect_changed "$W/run-first.log" "+ + +"
expect_reloads "1 1 1"
for i in $(seq 1 $HOSTS); do
  l=$W/host$i/oracle/network/admin/listener.ora
  grep -q "^# listener.ora of host$i" "$l" || fail "host$i listener.ora lost its comment"
  grep -q "(PROTOCOL = TCP)(HOST = 10.213.$i.2)(PORT = 1521)" "$l" || fail "host$i lost its TCP address"
  grep -q "(PROTOCOL = TCPS)(HOST = 10.213.$i.2)(PORT = 2484)" "$l" || fail "host$i: no TCPS address"
  grep -q "ADR_BASE_LISTENER = /u01/app/oracle" "$l" || fail "host$i lost ADR_BASE_LISTENER"
  grep -q "DIRECTORY = $W/host$i/wallet" "$l" || fail "host$i: WALLET_LOCATION is not its wallet"
  grep -q "NAMES.DIRECTORY_PATH" "$W/host$i/oracle/network/admin/sqlnet.ora" || fail "host$i sqlnet.ora lost its entry"
  [ "$(stat -c %a "$W/host$i/wallet/ewallet.p12")" = 600 ] || fail "host$i ewallet.p12 is not 0600"
  cmp -s "$W/host$i/bin/orakit" "$W/orakit" || fail "host$i: orakit not installed"
done
export WALLET_PW DB_PW
"$ORAKIT" wallet credential list --wallet "$W/host1/dba-wallet" --json --show-secrets --password-env WALLET_PW \
  | python3 -c 'import json,sys,os; c=json.load(sys.stdin)["credentials"]; assert [(x["connect_string"],x["username"],x["password"]) for x in c]==[("SVC1_host1","monitor",os.environ["DB_PW"])], c' \
  || fail "host1: the stored credential is not SVC1_host1/monitor with the test password"

echo "== 2. second run: nothing to change"
play second
recap_ok "$W/run-second.log"
expect_changed "$W/run-second.log" "0 0 0"
expect_reloads "1 1 1"

echo "== 3. tamper with host2 (its wallet) and host3 (sqlnet.ora); check mode"
CA_FP=$(openssl x509 -in "$W/controller/ca/ca.pem" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d :)
"$ORAKIT" wallet remove --wallet "$W/host2/wallet" --kind trusted --fingerprint "$CA_FP" \
  --password-env WALLET_PW >/dev/null 2>&1 || fail "could not tamper with host2's wallet"
sed -i '/^SSL_VERSION/d' "$W/host3/oracle/network/admin/sqlnet.ora"
digests "$W/before-check"
play check --check --diff
recap_ok "$W/run-check.log"
expect_changed "$W/run-check.log" "0 + +"
digests "$W/after-check"
diff -u "$W/before-check" "$W/after-check" >&2 || fail "check mode changed files"
grep -q "add trusted $CA_SUBJECT" "$W/run-check.log" || fail "check mode did not report the missing root on host2"
grep -q '^+SSL_VERSION' "$W/run-check.log" || fail "check mode did not show the sqlnet.ora diff on host3"
# orakit's own --check (the scripting contract) said what it would add to host2's wallet.
grep -qE '"orakit_changes": \[\{"action": "added", "kind": "trusted-certificate", "name": "'"$CA_SUBJECT"'"' \
  "$W/run-check.log" || fail "check mode did not carry orakit's --check report for host2"
expect_reloads "1 1 1"

echo "== 4. repair run"
play repair
recap_ok "$W/run-repair.log"
expect_changed "$W/run-repair.log" "0 + +"
grep -q "changed: \[host2\] => (item=cwallet.sso)" "$W/run-repair.log" || fail "host2's wallet was not reported as replaced"
expect_reloads "1 2 2"

echo "== 5. renewal (orakit_renew_within covers every certificate): new certificates, same keys"
pubkey() { openssl x509 -in "$W/controller/fleet/host$1/server.pem" -noout -pubkey | sha256sum; }
serial() { openssl x509 -in "$W/controller/fleet/host$1/server.pem" -noout -serial; }
for i in $(seq 1 $HOSTS); do pubkey "$i" > "$W/pub$i.before"; serial "$i" > "$W/serial$i.before"; done
play renew -e orakit_renew_within=36500
recap_ok "$W/run-renew.log"
expect_changed "$W/run-renew.log" "+ + +"
expect_reloads "2 3 3"
for i in $(seq 1 $HOSTS); do
  [ "$(serial "$i")" != "$(cat "$W/serial$i.before")" ] || fail "host$i: renewal kept the old certificate"
  [ "$(pubkey "$i")" = "$(cat "$W/pub$i.before")" ] || fail "host$i: renewal changed the key"
  cmp -s "$W/controller/fleet/host$i/wallet/cwallet.sso" "$W/host$i/wallet/cwallet.sso" \
    || fail "host$i: the renewed wallet was not installed"
done
play settled
recap_ok "$W/run-settled.log"
expect_changed "$W/run-settled.log" "0 0 0"
expect_reloads "2 3 3"

echo "== expiry facts (orakit.tcps.expiry_info, ad hoc) against openssl's serials"
ansible databases -i "$W/inventory.yml" -m orakit.tcps.expiry_info \
  -a 'paths={{ orakit_wallet_dir }} within=400 orakit_bin={{ orakit_bin }}' > "$W/expiry.log" 2>&1 \
  || { cat "$W/expiry.log" >&2; fail "expiry_info failed"; }
[ "$(grep -c '"expiring": true' "$W/expiry.log")" -ge "$HOSTS" ] || fail "expiry_info: not every host reports a certificate within 400 days"
for i in $(seq 1 $HOSTS); do
  want=$(serial "$i" | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//')
  grep -qE "\"serial\": \"0*$want\"" "$W/expiry.log" || fail "expiry_info: host$i's certificate (serial $want) not listed"
done

echo "== 6. Oracle's orapki opens every wallet; TLS handshakes the client wallet trusts"
orapki() {
  java -cp "$PEERS/oraclepki.jar:$PEERS/osdt_core.jar:$PEERS/osdt_cert.jar" \
    oracle.security.pki.textui.OraclePKITextUI wallet display -wallet "$1"
}
# Subjects orapki lists in SECTION (User Certificates / Trusted Certificates) of its display.
section() { awk -v s="$1" '/Certificates:/{on=($0 ~ s)} on && /^Subject:/{sub(/^Subject: */,""); print}'; }
out=$(orapki "$W/controller/client/wallet")
[ "$(section Trusted <<<"$out")" = "$CA_SUBJECT" ] || { echo "$out" >&2; fail "orapki: client wallet does not trust exactly the root"; }
"$ORAKIT" wallet export-cert --wallet "$W/controller/client/wallet" --subject "$CA_SUBJECT" --out "$W/client-root.pem" >/dev/null 2>&1
[ "$(openssl x509 -in "$W/client-root.pem" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d :)" = "$CA_FP" ] \
  || fail "the client wallet's root is not the controller's CA"
mkdir -p "$W/tls"
# handshake I PORT CERT KEY CAFILE: openssl s_server in hostI's namespace serves CERT for one
# connection; s_client verifies it (chain to CAFILE, name hostI, its IP); prints its report.
handshake() {
  local i=$1 port=$2
  ip netns exec "$(ns "$i")" openssl s_server -quiet -naccept 1 -accept "10.213.$i.2:$port" \
    -cert "$3" -key "$4" >/dev/null 2>&1 &
  echo $! > "$W/tls/server$i-$port.pid"
  for _ in $(seq 1 50); do
    ip netns exec "$(ns "$i")" ss -ltn | grep -q "10.213.$i.2:$port" && break
    sleep 0.1
  done
  openssl s_client -connect "10.213.$i.2:$port" -CAfile "$5" -verify_return_error \
    -verify_hostname "host$i" -verify_ip "10.213.$i.2" -brief < /dev/null 2>&1
}
# export_identity I: hostI's installed key and certificate, as the listener serves them.
export_identity() {
  rm -f "$W/tls/host$1.key" "$W/tls/host$1.pem"   # orakit does not overwrite without --force
  "$ORAKIT" wallet export-key --wallet "$W/host$1/wallet" --password-env WALLET_PW --unencrypted \
    --out "$W/tls/host$1.key" >/dev/null 2>&1 || fail "export-key host$1"
  "$ORAKIT" wallet export-cert --wallet "$W/host$1/wallet" --subject "CN=host$1" \
    --out "$W/tls/host$1.pem" >/dev/null 2>&1 || fail "export-cert host$1"
}
for i in $(seq 1 $HOSTS); do
  out=$(orapki "$W/host$i/wallet")
  [ "$(section User <<<"$out")" = "CN=host$i" ] || { echo "$out" >&2; fail "orapki: host$i wallet's user certificate is not CN=host$i"; }
  [ "$(section Trusted <<<"$out")" = "$CA_SUBJECT" ] || { echo "$out" >&2; fail "orapki: host$i wallet does not trust the root"; }
  export_identity "$i"
  res=$(handshake "$i" 2484 "$W/tls/host$i.pem" "$W/tls/host$i.key" "$W/client-root.pem") \
    || { echo "$res" >&2; fail "TLS handshake with host$i failed"; }
  grep -q "Verification: OK" <<<"$res" || { echo "$res" >&2; fail "host$i: the client root did not verify the server"; }
  echo "   host$i: orapki lists CN=host$i and the root; TLS $(grep -o 'Protocol version: .*' <<<"$res")"
done

# The negative control: a server whose certificate the fleet's root did not sign fails the
# same client check.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=host1 -addext subjectAltName=DNS:host1,IP:10.213.1.2 \
  -days 1 -keyout "$W/tls/rogue.key" -out "$W/tls/rogue.pem" 2>/dev/null
if handshake 1 2485 "$W/tls/rogue.pem" "$W/tls/rogue.key" "$W/client-root.pem" > /dev/null; then
  fail "the client root accepted a certificate it did not sign"
fi
echo "   a self-signed host1 certificate is refused with the client wallet's root"

ROT_START=$SECONDS
echo "== 7. root rotation through the role (orakit_rotate_root: trust, reissue, retire)"
NEW_CA=$W/controller/ca-next
NEW_SUBJECT="CN=orakit integration root 2027"
rotation() {  # rotation PHASE: the extra vars of a rotation run
  printf '{"orakit_rotate_root": {"phase": "%s", "new_ca_dir": "%s", "new_ca_subject": "%s", "new_ca_days": 3650}}' \
    "$1" "$NEW_CA" "$NEW_SUBJECT"
}
orapki_complete() {
  java -cp "$PEERS/oraclepki.jar:$PEERS/osdt_core.jar:$PEERS/osdt_cert.jar" \
    oracle.security.pki.textui.OraclePKITextUI wallet display -wallet "$1" -complete
}
# "SHA-1 subject" of each certificate in SECTION of orapki's -complete display, sorted.
listed() {
  awk -v s="$1" '/^(Requested|User|Trusted) Certificates:/{on=($0 ~ s)}
    on && /^Subject:/{sub(/^Subject: */,""); subject=$0}
    on && /^SHA(-1)? digest:/{sub(/^[^:]*: */,""); gsub(":",""); print tolower($0) " " subject}' | sort
}
sha1() { openssl x509 -in "$1" -noout -fingerprint -sha1 | cut -d= -f2 | tr -d : | tr 'A-F' 'a-f'; }
# expect_trusted WALLET "SUBJECT|PEM" ...: orapki lists exactly these roots in WALLET.
expect_trusted() {
  local wallet=$1 want="" got out; shift
  for r in "$@"; do want+="$(sha1 "${r#*|}") ${r%%|*}"$'\n'; done
  want=$(sort <<<"${want%$'\n'}")
  out=$(orapki_complete "$wallet")
  got=$(listed Trusted <<<"$out")
  [ "$got" = "$want" ] || { echo "$out" >&2; printf 'want:\n%s\ngot:\n%s\n' "$want" "$got" >&2; fail "orapki: $wallet does not trust exactly: $*"; }
}
# trusted_bundle WALLET OUT SUBJECT...: the wallet's trusted certificates of those subjects as
# one CA file (what a client with this wallet trusts).
trusted_bundle() {
  local wallet=$1 out=$2; shift 2
  : > "$out"
  for subject in "$@"; do
    rm -f "$out.one"
    "$ORAKIT" wallet export-cert --wallet "$wallet" --subject "$subject" --out "$out.one" >/dev/null 2>&1 \
      || fail "$wallet holds no trusted $subject"
    cat "$out.one" >> "$out"
  done
  rm -f "$out.one"
}
OLD_PEM=$W/controller/ca/ca.pem
for i in $(seq 1 $HOSTS); do cp "$W/tls/host$i.pem" "$W/tls/old-host$i.pem"; cp "$W/tls/host$i.key" "$W/tls/old-host$i.key"; done

play rot-trust -e "$(rotation trust)"
recap_ok "$W/run-rot-trust.log"
expect_changed "$W/run-rot-trust.log" "+ + +"
expect_reloads "3 4 4"
[ -f "$NEW_CA/ca.pem" ] && [ "$(stat -c %a "$NEW_CA/ca.key")" = 600 ] || fail "phase trust did not make the new CA in $NEW_CA (ca.key 0600)"
[ "$(openssl x509 -in "$NEW_CA/ca.pem" -noout -subject -nameopt RFC2253)" = "subject=$NEW_SUBJECT" ] \
  || fail "the new root's subject is not $NEW_SUBJECT"
NEW_PEM=$NEW_CA/ca.pem
for i in $(seq 1 $HOSTS); do
  expect_trusted "$W/host$i/wallet" "$CA_SUBJECT|$OLD_PEM" "$NEW_SUBJECT|$NEW_PEM"
done
expect_trusted "$W/controller/client/wallet" "$CA_SUBJECT|$OLD_PEM" "$NEW_SUBJECT|$NEW_PEM"
echo "   phase trust: orapki lists both roots (by SHA-1) in every host wallet and the client wallet"
mkdir -p "$W/client-phase1"
cp -p "$W/controller/client/wallet/cwallet.sso" "$W/client-phase1/"
trusted_bundle "$W/client-phase1" "$W/client-phase1.pem" "$CA_SUBJECT" "$NEW_SUBJECT"

play rot-trust-again -e "$(rotation trust)"
recap_ok "$W/run-rot-trust-again.log"
expect_changed "$W/run-rot-trust-again.log" "0 0 0"
expect_reloads "3 4 4"

digests "$W/before-rot-check"
play rot-check --check --diff -e "$(rotation reissue)"
recap_ok "$W/run-rot-check.log"
expect_changed "$W/run-rot-check.log" "+ + +"
digests "$W/after-rot-check"
diff -u "$W/before-rot-check" "$W/after-rot-check" >&2 || fail "check mode of phase reissue changed files"
grep -q '"changed_hosts": \["host1", "host2", "host3"\]' "$W/run-rot-check.log" \
  || fail "check mode of phase reissue did not name every host"
# Diff mode: the steps move from to_do to already_done.
grep -qE '^[-+ ]        "host1/wallet: re-issue the server certificate under' "$W/run-rot-check.log" \
  && grep -q '^+    "to_do": \[\]' "$W/run-rot-check.log" \
  || fail "check mode of phase reissue did not say (diff) what it would re-issue"
expect_reloads "3 4 4"

for i in $(seq 1 $HOSTS); do pubkey "$i" > "$W/pub$i.before"; done
play rot-reissue -e "$(rotation reissue)"
recap_ok "$W/run-rot-reissue.log"
expect_changed "$W/run-rot-reissue.log" "+ + +"
expect_reloads "4 5 5"
cmp -s "$W/client-phase1/cwallet.sso" "$W/controller/client/wallet/cwallet.sso" \
  || fail "phase reissue changed the client wallet"
for i in $(seq 1 $HOSTS); do
  [ "$(pubkey "$i")" = "$(cat "$W/pub$i.before")" ] || fail "host$i: phase reissue changed the key"
  export_identity "$i"
  [ "$(openssl x509 -in "$W/tls/host$i.pem" -noout -issuer -nameopt RFC2253)" = "issuer=$NEW_SUBJECT" ] \
    || fail "host$i: the installed certificate is not issued by $NEW_SUBJECT"
  openssl verify -CAfile "$NEW_PEM" "$W/tls/host$i.pem" >/dev/null || fail "host$i: the new root does not verify its certificate"
  res=$(handshake "$i" 2490 "$W/tls/host$i.pem" "$W/tls/host$i.key" "$W/client-phase1.pem") \
    || { echo "$res" >&2; fail "phase reissue: the phase-1 client wallet does not verify host$i"; }
  grep -q "Verification: OK" <<<"$res" || { echo "$res" >&2; fail "host$i: not verified"; }
done
echo "   phase reissue: every host serves a certificate of the new root (same key); the phase-1 client wallet verifies each"

play rot-reissue-again -e "$(rotation reissue)"
recap_ok "$W/run-rot-reissue-again.log"
expect_changed "$W/run-rot-reissue-again.log" "0 0 0"
expect_reloads "4 5 5"

# Phase retire rolled out in two steps: host1 and host2 first; then the whole inventory with
# the rotation handed over (orakit_ca_dir is the new CA, no orakit_rotate_root): only host3
# still has something to install.
play rot-retire -e "$(rotation retire)" --limit host1,host2
recap_ok "$W/run-rot-retire.log" 2
expect_changed "$W/run-rot-retire.log" "+ +"
expect_reloads "5 6 5"
play rot-handed-over -e "orakit_ca_dir=$NEW_CA"
recap_ok "$W/run-rot-handed-over.log"
expect_changed "$W/run-rot-handed-over.log" "0 0 +"
expect_reloads "5 6 6"
for i in $(seq 1 $HOSTS); do
  expect_trusted "$W/host$i/wallet" "$NEW_SUBJECT|$NEW_PEM"
done
expect_trusted "$W/controller/client/wallet" "$NEW_SUBJECT|$NEW_PEM"
trusted_bundle "$W/controller/client/wallet" "$W/client-retired.pem" "$NEW_SUBJECT"
for i in $(seq 1 $HOSTS); do
  export_identity "$i"
  res=$(handshake "$i" 2491 "$W/tls/host$i.pem" "$W/tls/host$i.key" "$W/client-retired.pem") \
    || { echo "$res" >&2; fail "phase retire: the client wallet does not verify host$i"; }
  grep -q "Verification: OK" <<<"$res" || { echo "$res" >&2; fail "host$i: not verified"; }
done
# host1's certificate of the old root (installed before the rotation): the phase-1 client
# wallet accepts it, the retired one refuses it.
handshake 1 2492 "$W/tls/old-host1.pem" "$W/tls/old-host1.key" "$W/client-phase1.pem" | grep -q "Verification: OK" \
  || fail "the phase-1 client wallet refused host1's certificate of the old root"
if handshake 1 2493 "$W/tls/old-host1.pem" "$W/tls/old-host1.key" "$W/client-retired.pem" > /dev/null; then
  fail "the retired client wallet accepted a certificate of the old root"
fi
echo "   phase retire: orapki lists only the new root everywhere; the client wallet refuses the old root's certificate, verifies every host"
echo "   rotation: $((SECONDS - ROT_START)) s"

echo "ansible integration: OK ($HOSTS hosts, $RUNS playbook runs)"
