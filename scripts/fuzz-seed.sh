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

# The authenticated safe of a PFX (the OCTET STRING inside its ContentInfo): the input of
# the p12_authsafe target, which wraps it in a PFX with a valid MAC itself.
authsafe_seed() { # p12-file
  python3 - "$1" "$corpus/p12_authsafe" <<'PY'
import sys, os, hashlib
data = open(sys.argv[1], 'rb').read()
def tlv(b, i):
    n = b[i+1]; i += 2
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(b[i:i+k], 'big'); i += k
    return i, i + n
body, _ = tlv(data, 0)               # PFX SEQUENCE
_, v_end = tlv(data, body)           # version
ci_body, _ = tlv(data, v_end)        # ContentInfo
_, oid_end = tlv(data, ci_body)      # contentType
e_body, _ = tlv(data, oid_end)       # [0]
s, e = tlv(data, e_body)             # OCTET STRING
os.makedirs(sys.argv[2], exist_ok=True)
out = data[s:e]
open(os.path.join(sys.argv[2], 'seed-' + hashlib.sha1(out).hexdigest()[:16]), 'wb').write(out)
PY
}

# Seeds with encryption use ONE key-derivation iteration. The iteration count is only a
# field of the input: parsing, key derivation, decryption and decoding run the same code at
# 1 iteration as at 10 000 (or the 100 000 orakit uses for keys), but an execution costs a
# few microseconds instead of tens of milliseconds, and libFuzzer mutates what it is seeded
# with. Real iteration counts still come in through the fixtures above.
for kt in rsa2048 p256 p384 p521; do
  "$orakit" key generate --key-type "$kt" --out "$work/$kt.key" >/dev/null
  seed key_read "$work/$kt.key"
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
# Encrypted PKCS#8 in every scheme a user may bring: PBES2 with AES-256 (what orakit and
# OpenSSL 3 write), AES-128, 3DES, an HMAC-SHA1 PRF, and the PKCS#12 PBE v1 scheme; PEM and DER.
for kt in rsa2048 p256; do
  for v in "-v2 aes-256-cbc" "-v2 aes-128-cbc" "-v2 des3" "-v2 aes-256-cbc -v2prf hmacWithSHA1" "-v1 PBE-SHA1-3DES"; do
    name="$kt-$(echo "$v" | tr -c 'A-Za-z0-9' '_')"
    # shellcheck disable=SC2086
    openssl pkcs8 -topk8 -in "$work/$kt.key" $v -iter 1 -passout pass:Welcome1# -out "$work/$name.pem" 2>/dev/null &&
      seed key_read "$work/$name.pem"
    # shellcheck disable=SC2086
    openssl pkcs8 -topk8 -in "$work/$kt.key" $v -iter 1 -passout pass:Welcome1# -outform DER -out "$work/$name.der" 2>/dev/null &&
      seed key_read "$work/$name.der"
  done
done
cat "$work"/*-ca.pem >"$work/bundle.pem"; seed cert_read "$work/bundle.pem"

# Wallets: an OpenSSL PKCS#12 at 1 iteration (3DES and AES-256), which orakit rewrites in
# Oracle's layout keeping the iteration count; then trusted certificates, a stored
# credential, and the auto-login, auto-login-only and local auto-login forms.
printf 'dbsecret\n' >"$work/secret"
for enc in PBE-SHA1-3DES AES-256-CBC; do
  w="$work/w-$enc"; mkdir -p "$w"
  openssl pkcs12 -export -inkey "$work/rsa2048.key" -in "$work/rsa2048-ca.pem" -iter 1 -nomaciter \
    -keypbe "$enc" -certpbe "$enc" -passout pass:Welcome1# -out "$w/ewallet.p12" -legacy
  seed p12_read "$w/ewallet.p12"; authsafe_seed "$w/ewallet.p12"   # OpenSSL's layout
  "$orakit" wallet add-trusted --wallet "$w" --cert "$work/p256-ca.pem" --password-file "$pw" >/dev/null
  seed p12_read "$w/ewallet.p12"; authsafe_seed "$w/ewallet.p12"   # Oracle's layout
  "$orakit" wallet credential add --wallet "$w" --connect-string orcl --username scott \
    --secret-file "$work/secret" --password-file "$pw" >/dev/null
  seed p12_read "$w/ewallet.p12"; authsafe_seed "$w/ewallet.p12"
  "$orakit" wallet convert --wallet "$w" --to auto-login --password-file "$pw" >/dev/null
  seed sso_read "$w/cwallet.sso"
  # Both local headers: version 6 (host + user) and version 7 (also the machine id), what
  # orapki 19.33 / 23.26 write.
  "$orakit" wallet convert --wallet "$w" --to auto-login-local --local-host fuzzhost \
    --local-user oracle --compat-lsso-v6 --password-file "$pw" >/dev/null
  seed sso_read "$w/cwallet.sso"
  "$orakit" wallet convert --wallet "$w" --to auto-login --password-file "$pw" >/dev/null
  "$orakit" wallet convert --wallet "$w" --to auto-login-local --local-host fuzzhost \
    --local-user oracle --local-machine-id 0123456789abcdef0123456789abcdef \
    --password-file "$pw" >/dev/null
  seed sso_read "$w/cwallet.sso"
  "$orakit" wallet convert --wallet "$w" --to auto-login-only --password-file "$pw" >/dev/null
  seed sso_read "$w/cwallet.sso"
done

for dn in "CN=db.example.com, OU=DB, O=Example, C=US" 'CN=a\,b+OU=x, O="Quoted, Inc", C=US' \
  "cn=host,dc=example,dc=com" "CN=#0403616263" "EMAILADDRESS=dba@example.com, CN=x"; do
  printf '%s' "$dn" >"$work/dn"; seed dn_parse "$work/dn"
done

# Java key stores for jks_read, which seals its input with the digest for "fuzzpass1"
# itself: the seeds are keytool's stores without their 20-byte digest.
if command -v keytool >/dev/null; then
  for st in JKS JCEKS; do
    ks="$work/seed.$st"
    keytool -genkeypair -alias k -keyalg EC -groupname secp256r1 -dname CN=fuzz -validity 30 \
      -storetype "$st" -keystore "$ks" -storepass fuzzpass1 -keypass fuzzpass1 >/dev/null 2>&1
    keytool -importcert -noprompt -alias ca -file "$work/p256-ca.pem" -storetype "$st" \
      -keystore "$ks" -storepass fuzzpass1 >/dev/null 2>&1
    [ "$st" = JCEKS ] && keytool -genseckey -alias s -keyalg AES -keysize 128 -storetype JCEKS \
      -keystore "$ks" -storepass fuzzpass1 -keypass fuzzpass1 >/dev/null 2>&1
    [ -s "$ks" ] && head -c -20 "$ks" >"$ks.body" && seed jks_read "$ks.body"
  done
fi
for t in "$corpus"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
