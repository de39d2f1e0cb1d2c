#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the real Oracle fixtures (read in place from
# ../shared/oracle-fixtures, copied at run time only: fuzz/corpus is gitignored) and from
# keys, certificates and CSRs orakit itself makes. Safe to run again: seeds are named by
# content hash, so nothing is duplicated.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="${ORAKIT_FIXTURES:-$root/../shared/oracle-fixtures}"
corpus="$root/fuzz/corpus"
orakit="${ORAKIT_BIN:-$root/target/debug/orakit}"

seed() { # target file
  mkdir -p "$corpus/$1"
  cp "$2" "$corpus/$1/seed-$(sha1sum "$2" | cut -c1-16)"
}

if [ -d "$fixtures" ]; then
  while IFS= read -r -d '' f; do
    seed sso_read "$f"
    # The PKCS#12 inside the sso (after its header: 12 bytes + the length at offset 8)
    # is a good p12 seed too.
    tmp=$(mktemp)
    python3 -c 'import sys; b=open(sys.argv[1],"rb").read(); sys.stdout.buffer.write(b[12+int.from_bytes(b[8:12],"big"):])' "$f" >"$tmp"
    seed p12_read "$tmp"; rm -f "$tmp"
  done < <(find "$fixtures" -name '*.sso' -print0)
  while IFS= read -r -d '' f; do seed p12_read "$f"; done < <(find "$fixtures" -name '*.p12' -print0)
  while IFS= read -r -d '' f; do seed ora_parse "$f"; done < <(find "$fixtures" -name '*.ora' -print0)
else
  echo "fuzz-seed: $fixtures not found; seeding from orakit output only" >&2
fi

[ -x "$orakit" ] || (cd "$root" && cargo build --quiet)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
pw="$work/pw"; printf 'Welcome1#\n' >"$pw"
for kt in rsa2048 p256 p384 p521; do
  "$orakit" key generate --key-type "$kt" --out "$work/$kt.key" >/dev/null
  seed key_read "$work/$kt.key"
  "$orakit" key generate --key-type "$kt" --encrypt --password-file "$pw" --out "$work/$kt-enc.key" >/dev/null
  seed key_read "$work/$kt-enc.key"
  openssl pkey -in "$work/$kt.key" -outform DER -out "$work/$kt.der" 2>/dev/null && seed key_read "$work/$kt.der"
  openssl pkey -in "$work/$kt.key" -traditional -out "$work/$kt-trad.key" 2>/dev/null && seed key_read "$work/$kt-trad.key"
  "$orakit" ca init --subject "CN=Fuzz CA $kt, O=Example, C=US" --key "$work/$kt.key" --out "$work/$kt-ca.pem" >/dev/null
  seed cert_read "$work/$kt-ca.pem"
  openssl x509 -in "$work/$kt-ca.pem" -outform DER -out "$work/$kt-ca.der" && seed cert_read "$work/$kt-ca.der"
  "$orakit" csr create --subject "CN=db.example.com, OU=DB, O=Example" --key "$work/$kt.key" \
    --san db.example.com --san IP:10.0.0.1 --out "$work/$kt.csr" >/dev/null
  seed csr_read "$work/$kt.csr"
  openssl req -in "$work/$kt.csr" -outform DER -out "$work/$kt-csr.der" && seed csr_read "$work/$kt-csr.der"
done
cat "$work"/*-ca.pem >"$work/bundle.pem"; seed cert_read "$work/bundle.pem"

# The safe contents of an orakit-written wallet seed the MAC-wrapped target: the
# authenticated safe is what follows the PFX header; seeding with whole wallets is still
# useful because libFuzzer finds the inner structure quickly.
"$orakit" wallet create --wallet "$work/w" --auto-login --password-file "$pw" >/dev/null
"$orakit" wallet add-trusted --wallet "$work/w" --cert "$work/p256-ca.pem" --password-file "$pw" >/dev/null
seed p12_read "$work/w/ewallet.p12"
seed sso_read "$work/w/cwallet.sso"
python3 - "$work/w/ewallet.p12" "$corpus/p12_authsafe" <<'PY'
# Extract the authenticated safe (the OCTET STRING inside the PFX's ContentInfo).
import sys, os, hashlib
data = open(sys.argv[1], 'rb').read()
def tlv(b, i):
    tag = b[i]; n = b[i+1]; i += 2
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(b[i:i+k], 'big'); i += k
    return tag, i, i + n
_, body, _ = tlv(data, 0)                 # PFX SEQUENCE
_, v_body, v_end = tlv(data, body)        # version
_, ci_body, _ = tlv(data, v_end)          # ContentInfo
_, oid_body, oid_end = tlv(data, ci_body) # contentType
_, e_body, _ = tlv(data, oid_end)         # [0]
_, s, e = tlv(data, e_body)               # OCTET STRING
os.makedirs(sys.argv[2], exist_ok=True)
out = data[s:e]
open(os.path.join(sys.argv[2], 'seed-' + hashlib.sha1(out).hexdigest()[:16]), 'wb').write(out)
PY

for dn in "CN=db.example.com, OU=DB, O=Example, C=US" 'CN=a\,b+OU=x, O="Quoted, Inc", C=US' \
  "cn=host,dc=example,dc=com" "CN=#0403616263" "EMAILADDRESS=dba@example.com, CN=x"; do
  printf '%s' "$dn" >"$work/dn"; seed dn_parse "$work/dn"
done
for t in "$corpus"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
