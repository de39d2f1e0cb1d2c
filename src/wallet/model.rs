//! What a wallet holds, independent of how it is stored: the entries in file order and
//! the encryption profile. Entries orakit does not understand are kept byte for byte.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use sha2::Digest;
use x509_cert::Certificate;
use x509_cert::request::CertReq;
use zeroize::Zeroizing;

use super::asn1::oid;
use super::config_marker;
use super::local_key_id::{IdKind, LocalKeyId, TrustFlags};
use super::trust::{self, CertFacts, TrustError};
use crate::pbe::{Algorithm, EncryptionParams, MacDigest, Pbes2Cipher, Prf};

/// The friendlyName Oracle gives a key, its request and its user certificate.
pub const DEFAULT_KEY_NAME: &str = "orakey";

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("not a certificate: {0}")]
    BadCertificate(String),
    #[error("not a certificate request: {0}")]
    BadRequest(String),
    #[error("not a private key: {0}")]
    BadKey(String),
    #[error("the certificate's public key matches no private key or pending request in the wallet")]
    NoMatchingKey,
    #[error("a secret with alias {0:?} already exists")]
    DuplicateSecret(String),
    #[error("the wallet already holds this certificate ({0})")]
    DuplicateCertificate(String),
    #[error(
        "the wallet does not use trust flags; enable them first with `orakit wallet trust-flags --enable` (orapki enable_trust_flags)"
    )]
    TrustFlagsDisabled,
    #[error("{0}")]
    Trust(#[from] TrustError),
    /// The key already carries a user certificate: a second one on the same key makes
    /// Oracle's tools show no user certificate at all (orapki refuses it: PKI-04004).
    #[error(
        "the key already has its certificate (subject \"{subject}\", serial {serial}); a key carries one user certificate"
    )]
    KeyAlreadyCertified { subject: String, serial: String },
}

/// One entry (PKCS#12 bag) with its attributes.
#[derive(Clone, Debug)]
pub struct Entry {
    pub item: Item,
    pub friendly_name: Option<String>,
    pub local_key_id: Option<Vec<u8>>,
    /// Attributes other than friendlyName/localKeyId, each as DER, kept unchanged.
    pub other_attributes: Vec<Vec<u8>>,
}

/// The content of an entry.
#[derive(Clone, Debug)]
pub enum Item {
    /// PKCS#8 PrivateKeyInfo DER (stored as a plain keyBag).
    PrivateKey(Zeroizing<Vec<u8>>),
    /// X.509 certificate DER. Whether it is a user or a trusted certificate follows from
    /// its localKeyId: a user certificate shares it with a private key.
    Certificate(Vec<u8>),
    /// PKCS#10 request DER in Oracle's request secretBag.
    CertificateRequest(Vec<u8>),
    /// An mkstore secret-store entry (alias and value as UTF8Strings).
    Secret {
        type_id: ObjectIdentifier,
        alias: String,
        value: Zeroizing<String>,
    },
    /// Anything else: the bag type and the DER inside its `[0]`, written back unchanged.
    Opaque {
        bag_id: ObjectIdentifier,
        value: Vec<u8>,
    },
}

impl Entry {
    fn new(item: Item, friendly_name: Option<String>, id: LocalKeyId) -> Self {
        Self {
            item,
            friendly_name,
            local_key_id: Some(id.to_bytes()),
            other_attributes: Vec::new(),
        }
    }

    pub fn oracle_id(&self) -> Option<LocalKeyId> {
        self.local_key_id.as_deref().and_then(LocalKeyId::parse)
    }

    /// The trust flags in this entry's Oracle localKeyId (empty when it has none).
    pub fn trust_flags(&self) -> TrustFlags {
        self.oracle_id()
            .map(|id| id.trust_flags())
            .unwrap_or_default()
    }

    /// Replaces the trust flags of an Oracle localKeyId; other ids are left alone.
    fn set_trust_flags(&mut self, flags: TrustFlags) {
        if let Some(id) = self.oracle_id() {
            self.local_key_id = Some(id.with_trust_flags(flags).to_bytes());
        }
    }
}

/// Whether two localKeyIds name the same entry pair. Oracle ids are compared without their
/// trust-flag byte: in a trust-flag wallet orapki gives a user certificate USER_CERT
/// (kind 0x801) while its key keeps kind 1.
pub fn same_id(a: Option<&[u8]>, b: Option<&[u8]>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (LocalKeyId::parse(a), LocalKeyId::parse(b)) {
            (Some(x), Some(y)) => {
                x.with_trust_flags(TrustFlags::default())
                    == y.with_trust_flags(TrustFlags::default())
            }
            _ => a == b,
        },
        _ => false,
    }
}

/// The fewest PBKDF / MAC iterations orakit writes back from a wallet it read: Oracle's
/// own files use 1024 (ADB) to 10000; below that (openssl's `-noiter`: 1) an edit
/// re-encrypts with the default 10000.
pub const MIN_ITERATIONS: u64 = 1024;

/// Encryption and MAC parameters used when the wallet is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    pub encryption: EncryptionParams,
    pub mac_digest: MacDigest,
    pub mac_salt_length: usize,
    pub mac_iterations: u64,
}

impl Profile {
    /// 3DES PBE, 8-byte salt, 10000 iterations, SHA-1 MAC: what every Oracle release reads.
    pub fn three_des() -> Self {
        Self {
            encryption: EncryptionParams {
                algorithm: Algorithm::Pbe3Des,
                salt_length: 8,
                iterations: 10_000,
            },
            mac_digest: MacDigest::Sha1,
            mac_salt_length: 8,
            mac_iterations: 10_000,
        }
    }

    /// PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC exactly as orapki 19.33 and 23.26 write
    /// it (16-byte PBKDF2 salt, keyLength 32, 10000 iterations), SHA-1 MAC with an 8-byte
    /// salt. wallet-formats.md §3.2 says an 8-byte PBKDF2 salt; orapki writes 16.
    pub fn aes256() -> Self {
        Self {
            encryption: EncryptionParams {
                algorithm: Algorithm::Pbes2 {
                    prf: Prf::HmacSha256,
                    cipher: Pbes2Cipher::Aes256Cbc,
                    key_length_present: true,
                },
                salt_length: 16,
                iterations: 10_000,
            },
            ..Self::three_des()
        }
    }

    /// The defaults of this profile's algorithm family: PBES2 becomes [`Self::aes256`],
    /// everything else [`Self::three_des`] (what `change-password` writes).
    pub fn defaults_of_family(self) -> Self {
        match self.encryption.algorithm {
            Algorithm::Pbes2 { .. } => Self::aes256(),
            _ => Self::three_des(),
        }
    }

    /// The profile to write a wallet read with this one: the same, unless it used an
    /// algorithm orakit does not write (RC2, 2-key 3DES), which becomes 3DES, or counts
    /// below [`MIN_ITERATIONS`] / salts below 8 bytes, which become the defaults (10000,
    /// 8): no edit writes a weak file's parameters back.
    pub fn writable(self) -> Self {
        let mut out = self;
        if !out.encryption.algorithm.is_writable() {
            out.encryption.algorithm = Algorithm::Pbe3Des;
        }
        let defaults = Self::three_des();
        if out.encryption.iterations < MIN_ITERATIONS {
            out.encryption.iterations = defaults.encryption.iterations;
        }
        if out.mac_iterations < MIN_ITERATIONS {
            out.mac_iterations = defaults.mac_iterations;
        }
        out.encryption.salt_length = out.encryption.salt_length.max(8);
        out.mac_salt_length = out.mac_salt_length.max(8);
        out
    }
}

/// A wallet: entries in bag order plus the profile.
#[derive(Clone, Debug)]
pub struct Wallet {
    pub entries: Vec<Entry>,
    pub profile: Profile,
}

/// Whether `add_trusted` added a certificate or found it already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    Added,
    AlreadyPresent,
}

impl Wallet {
    pub fn new(profile: Profile) -> Self {
        Self {
            entries: Vec::new(),
            profile,
        }
    }

    /// Whether entry `i` is a certificate that shares its localKeyId with a private key.
    pub fn is_user_certificate(&self, i: usize) -> bool {
        let entry = &self.entries[i];
        if !matches!(entry.item, Item::Certificate(_)) {
            return false;
        }
        let Some(id) = &entry.local_key_id else {
            return false;
        };
        self.entries.iter().any(|e| {
            matches!(e.item, Item::PrivateKey(_))
                && same_id(e.local_key_id.as_deref(), Some(id.as_slice()))
        })
    }

    /// Whether orapki's configuration marker enables trust flags in this wallet.
    pub fn trust_flags_enabled(&self) -> bool {
        config_marker::find(self).is_some_and(|(_, c)| c.trust_flags)
    }

    /// Indices of trusted certificates, user certificates, requests, keys, secrets.
    pub fn trusted_indices(&self) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| {
                matches!(self.entries[i].item, Item::Certificate(_)) && !self.is_user_certificate(i)
            })
            .collect()
    }

    pub fn user_cert_indices(&self) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| self.is_user_certificate(i))
            .collect()
    }

    pub fn indices_where(&self, f: impl Fn(&Item) -> bool) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| f(&self.entries[i].item))
            .collect()
    }

    /// The next unused index for an Oracle localKeyId of `kinds`.
    pub(crate) fn next_index(&self, kinds: &[IdKind]) -> u32 {
        self.entries
            .iter()
            .filter_map(Entry::oracle_id)
            .filter(|id| kinds.iter().any(|k| *k as u32 == id.base_kind()))
            .map(|id| id.index + 1)
            .max()
            .unwrap_or(0)
    }

    /// Whether the same certificate (same DER) is already a trusted (`user == false`) or
    /// a user (`user == true`) certificate. A self-signed certificate may be both, as
    /// orapki's `-self_signed` makes it.
    pub fn holds_certificate(&self, cert_der: &[u8], user: bool) -> bool {
        (0..self.entries.len()).any(|i| {
            matches!(&self.entries[i].item, Item::Certificate(d) if d == cert_der)
                && self.is_user_certificate(i) == user
        })
    }

    /// Adds a trusted certificate, unless the same certificate (same DER) is already trusted.
    /// In a trust-flag wallet it gets the flags orapki's `add -trusted_cert` gives.
    pub fn add_trusted(&mut self, cert_der: &[u8]) -> Result<Added, ModelError> {
        self.add_trusted_with_flags(cert_der, None)
    }

    /// [`Self::add_trusted`] with the flags asked for (orapki `add -trust_flags`), which
    /// need a trust-flag wallet and are checked as orapki checks them.
    pub fn add_trusted_with_flags(
        &mut self,
        cert_der: &[u8],
        asked: Option<TrustFlags>,
    ) -> Result<Added, ModelError> {
        Certificate::from_der(cert_der).map_err(|e| ModelError::BadCertificate(e.to_string()))?;
        let enabled = self.trust_flags_enabled();
        if asked.is_some() && !enabled {
            return Err(ModelError::TrustFlagsDisabled);
        }
        let facts = CertFacts::of(cert_der)?;
        if let Some(flags) = asked {
            trust::check_assignable(flags, facts, &super::certs::subject_of(cert_der))?;
        }
        if self.holds_certificate(cert_der, false) {
            return Ok(Added::AlreadyPresent);
        }
        let mut id = LocalKeyId::new(IdKind::Trusted, self.next_index(&[IdKind::Trusted]));
        if enabled {
            id = id.with_trust_flags(asked.unwrap_or_else(|| trust::default_for_trusted(facts)));
        }
        // orapki (19c and 23ai) appends every new bag, after any user certificate too, but
        // before the configuration marker, which stays last.
        let at = config_marker::insertion_end(self);
        self.entries.insert(
            at,
            Entry::new(Item::Certificate(cert_der.to_vec()), None, id),
        );
        Ok(Added::Added)
    }

    /// Adds a private key and its pending certificate request (orapki `add -dn -keysize`):
    /// a keyBag (kind 1) and the request secretBag (kind 2) with the same index, both
    /// named `friendly_name` for the first pair and `friendly_name` + index after it, as
    /// orapki names them (`orakey`, `orakey1`, ...). Returns the pair's index.
    pub fn add_key_with_request(
        &mut self,
        pkcs8_der: &[u8],
        request_der: &[u8],
        friendly_name: &str,
    ) -> Result<u32, ModelError> {
        pkcs8::PrivateKeyInfoRef::from_der(pkcs8_der)
            .map_err(|e| ModelError::BadKey(e.to_string()))?;
        CertReq::from_der(request_der).map_err(|e| ModelError::BadRequest(e.to_string()))?;
        let index = self.next_index(&[IdKind::KeyAndUserCert, IdKind::Request]);
        let name = Some(match index {
            0 => friendly_name.to_owned(),
            n => format!("{friendly_name}{n}"),
        });
        let key = Entry::new(
            Item::PrivateKey(Zeroizing::new(pkcs8_der.to_vec())),
            name.clone(),
            LocalKeyId::new(IdKind::KeyAndUserCert, index),
        );
        let req = Entry::new(
            Item::CertificateRequest(request_der.to_vec()),
            name,
            LocalKeyId::new(IdKind::Request, index),
        );
        // orapki appends the pair after everything already in the wallet.
        self.entries.push(key);
        self.entries.push(req);
        Ok(index)
    }

    /// Installs a signed certificate on the private key whose public key it carries
    /// (found through the pending request, or through the key itself). The request stays,
    /// as in Oracle's wallets. Returns the entry index of the new user certificate.
    pub fn install_user_certificate(&mut self, cert_der: &[u8]) -> Result<usize, ModelError> {
        let cert = Certificate::from_der(cert_der)
            .map_err(|e| ModelError::BadCertificate(e.to_string()))?;
        if self.holds_certificate(cert_der, true) {
            return Err(ModelError::DuplicateCertificate(super::certs::dn_rfc2253(
                cert.tbs_certificate().subject(),
            )));
        }
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| ModelError::BadCertificate(e.to_string()))?;
        let key_index = self
            .key_for_public_key(&spki)
            .ok_or(ModelError::NoMatchingKey)?;
        if let Some(existing) = self.user_certificate_of(key_index)
            && let Item::Certificate(der) = &self.entries[existing].item
        {
            let details = super::certs::details(der).ok();
            return Err(ModelError::KeyAlreadyCertified {
                subject: super::certs::subject_of(der),
                serial: details.map_or_else(|| "?".into(), |d| d.serial),
            });
        }
        let key = &self.entries[key_index];
        let mut entry = Entry {
            item: Item::Certificate(cert_der.to_vec()),
            friendly_name: key.friendly_name.clone(),
            local_key_id: key.local_key_id.clone(),
            other_attributes: Vec::new(),
        };
        if self.trust_flags_enabled() {
            // orapki's `add -user_cert` in a trust-flag wallet: kind 0x801.
            entry.set_trust_flags(TrustFlags(TrustFlags::USER_CERT));
        }
        let at = config_marker::insertion_end(self);
        self.entries.insert(at, entry);
        Ok(at)
    }

    /// Sets the trust flags of the certificate at `index` (orapki `assign_trust_flags`).
    pub fn assign_trust_flags(
        &mut self,
        index: usize,
        flags: TrustFlags,
    ) -> Result<(), ModelError> {
        if !self.trust_flags_enabled() {
            return Err(ModelError::TrustFlagsDisabled);
        }
        let Item::Certificate(der) = &self.entries[index].item else {
            return Err(ModelError::BadCertificate(
                "the entry is not a certificate".into(),
            ));
        };
        trust::check_assignable(flags, CertFacts::of(der)?, &super::certs::subject_of(der))?;
        self.entries[index].set_trust_flags(flags);
        Ok(())
    }

    /// Turns trust flags on (orapki `enable_trust_flags`): every certificate gets the flags
    /// orapki evaluates for it, or NULL with `untrust_all`, and the marker records it.
    /// Returns false, changing nothing, when the wallet already uses trust flags.
    pub fn enable_trust_flags(&mut self, untrust_all: bool) -> Result<bool, ModelError> {
        if self.trust_flags_enabled() {
            return Ok(false);
        }
        for i in 0..self.entries.len() {
            let Item::Certificate(der) = &self.entries[i].item else {
                continue;
            };
            let flags = if untrust_all {
                TrustFlags(TrustFlags::NULL)
            } else {
                trust::evaluate_on_enable(CertFacts::of(der)?, self.is_user_certificate(i))
            };
            self.entries[i].set_trust_flags(flags);
        }
        config_marker::enable(
            self,
            config_marker::WalletConfig {
                trust_flags: true,
                compat_v12: false,
            },
        )
        .map_err(|e| ModelError::BadCertificate(e.to_string()))?;
        Ok(true)
    }

    /// The entry index of the user certificate installed on the key at `key_index`.
    pub fn user_certificate_of(&self, key_index: usize) -> Option<usize> {
        let id = self.entries[key_index].local_key_id.as_ref()?;
        (0..self.entries.len()).find(|&i| {
            matches!(self.entries[i].item, Item::Certificate(_))
                && same_id(self.entries[i].local_key_id.as_deref(), Some(id.as_slice()))
        })
    }

    /// The issuer DN (RFC 2253) of the first certificate in `cert_der`'s chain whose
    /// issuer is not in the wallet, or `None` when the chain reaches a self-issued
    /// certificate inside the wallet. Names are compared as DER; signatures are not
    /// checked here. orapki refuses a user certificate whose chain is incomplete.
    pub fn missing_issuer(&self, cert_der: &[u8]) -> Result<Option<String>, ModelError> {
        let bad = |e: der::Error| ModelError::BadCertificate(e.to_string());
        let in_wallet: Vec<Certificate> = self
            .entries
            .iter()
            .filter_map(|e| match &e.item {
                Item::Certificate(d) => Certificate::from_der(d).ok(),
                _ => None,
            })
            .collect();
        let mut current = Certificate::from_der(cert_der).map_err(bad)?;
        // A chain longer than the wallet cannot be made of the wallet's certificates.
        for _ in 0..=in_wallet.len() {
            let tbs = current.tbs_certificate();
            let issuer = tbs.issuer().to_der().map_err(bad)?;
            if tbs.subject().to_der().map_err(bad)? == issuer {
                return Ok(None);
            }
            let next = in_wallet.iter().find(|c| {
                c.tbs_certificate().subject().to_der().ok().as_deref() == Some(&issuer[..])
            });
            match next {
                Some(c) => current = c.clone(),
                None => return Ok(Some(super::certs::dn_rfc2253(tbs.issuer()))),
            }
        }
        Ok(None)
    }

    /// The entry index of the private key whose public key is `spki_der`.
    pub fn key_for_public_key(&self, spki_der: &[u8]) -> Option<usize> {
        for (i, e) in self.entries.iter().enumerate() {
            let Item::PrivateKey(key) = &e.item else {
                continue;
            };
            let via_request = self.entries.iter().any(|r| {
                matches!(&r.item, Item::CertificateRequest(d)
                    if request_spki(d).as_deref() == Some(spki_der)
                    && same_pair(r.oracle_id(), e.oracle_id()))
            });
            if via_request || super::keys::public_key_der(key).as_deref() == Some(spki_der) {
                return Some(i);
            }
        }
        None
    }

    /// Adds an mkstore secret-store entry (kind 6). mkstore writes the secrets before
    /// every other bag, in descending index order, so the new one goes first.
    pub fn add_secret(&mut self, alias: &str, value: &str) -> Result<(), ModelError> {
        if self.secret(alias).is_some() {
            return Err(ModelError::DuplicateSecret(alias.to_owned()));
        }
        let id = LocalKeyId::new(IdKind::Secret, self.next_index(&[IdKind::Secret]));
        let item = Item::Secret {
            type_id: oid::SECRET_STORE,
            alias: alias.to_owned(),
            value: Zeroizing::new(value.to_owned()),
        };
        let at = self
            .entries
            .iter()
            .position(|e| matches!(e.item, Item::Secret { .. }))
            .unwrap_or(0);
        self.entries.insert(at, Entry::new(item, None, id));
        Ok(())
    }

    /// The value of the secret with this alias.
    pub fn secret(&self, alias: &str) -> Option<&str> {
        self.entries.iter().find_map(|e| match &e.item {
            Item::Secret {
                alias: a, value, ..
            } if a == alias => Some(value.as_str()),
            _ => None,
        })
    }

    /// Replaces the value of an existing secret; false when there is none.
    pub fn set_secret(&mut self, alias: &str, new_value: &str) -> bool {
        for e in &mut self.entries {
            if let Item::Secret {
                alias: a, value, ..
            } = &mut e.item
                && a == alias
            {
                *value = Zeroizing::new(new_value.to_owned());
                return true;
            }
        }
        false
    }

    /// Removes the secret with this alias; false when there is none.
    pub fn remove_secret(&mut self, alias: &str) -> bool {
        let before = self.entries.len();
        self.entries
            .retain(|e| !matches!(&e.item, Item::Secret { alias: a, .. } if a == alias));
        self.entries.len() != before
    }

    /// The entries removing `indices` takes, in file order: removing a key, a user
    /// certificate or a request takes the whole pair (key, its user certificate and its
    /// request).
    pub fn removal_set(&self, indices: &[usize]) -> Vec<usize> {
        let mut doomed: Vec<usize> = indices.to_vec();
        for &i in indices {
            let e = &self.entries[i];
            let pairs_with_key =
                matches!(e.item, Item::PrivateKey(_) | Item::CertificateRequest(_))
                    || self.is_user_certificate(i);
            if pairs_with_key {
                doomed.extend(self.pair_of(i));
            }
        }
        doomed.sort_unstable();
        doomed.dedup();
        doomed
    }

    /// Every entry of the key pair entry `i` belongs to (by Oracle id or by raw localKeyId).
    fn pair_of(&self, i: usize) -> Vec<usize> {
        let e = &self.entries[i];
        let mut found = vec![i];
        for (j, other) in self.entries.iter().enumerate() {
            let by_id = e.oracle_id().is_some() && same_pair(other.oracle_id(), e.oracle_id());
            // Trust flags (byte 14) differ between a key and its user certificate.
            let by_raw = same_id(other.local_key_id.as_deref(), e.local_key_id.as_deref());
            if by_id || by_raw {
                found.push(j);
            }
        }
        found
    }

    /// The user certificate of the pair entry `i` (a key, request or certificate) belongs to.
    pub fn certificate_of_pair(&self, i: usize) -> Option<usize> {
        self.pair_of(i)
            .into_iter()
            .find(|&j| self.is_user_certificate(j))
    }

    /// The request of the pair entry `i` belongs to.
    pub fn request_of_pair(&self, i: usize) -> Option<usize> {
        self.pair_of(i)
            .into_iter()
            .find(|&j| matches!(self.entries[j].item, Item::CertificateRequest(_)))
    }

    /// Whether the key pair of entry `i` already carries its user certificate.
    pub fn pair_is_certified(&self, i: usize) -> bool {
        self.certificate_of_pair(i).is_some()
    }

    /// Removes the entries at `indices` and the rest of their pairs (see [`Self::removal_set`]).
    pub fn remove(&mut self, indices: &[usize]) {
        for i in self.removal_set(indices).into_iter().rev() {
            self.entries.remove(i);
        }
    }
}

/// Whether two Oracle ids belong to the same key pair (kind 1 or 2 with one index).
fn same_pair(a: Option<LocalKeyId>, b: Option<LocalKeyId>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a.index == b.index && [1, 2].contains(&a.base_kind()) && [1, 2].contains(&b.base_kind())
        }
        _ => false,
    }
}

/// The SubjectPublicKeyInfo DER of a PKCS#10 request.
pub fn request_spki(request_der: &[u8]) -> Option<Vec<u8>> {
    CertReq::from_der(request_der)
        .ok()?
        .info
        .public_key
        .to_der()
        .ok()
}

/// SHA-256 of some bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed() -> Vec<u8> {
        use crate::pki::{ca, key, name};
        let key = key::PrivateKey::generate(key::KeySpec::Ec {
            curve: key::Curve::P256,
        })
        .unwrap();
        let subject = name::parse_dn("CN=Model Test CA").unwrap();
        ca::create_self_signed_ca(&key, &subject, 2)
            .unwrap()
            .to_der()
            .unwrap()
    }

    #[test]
    fn a_user_certificate_with_orapkis_user_cert_flag_still_pairs_with_its_key() {
        // orapki's trust-flag wallets: key kind 0x001, its user certificate kind 0x801.
        let key_id = hex::decode("e6b652dd0000000400000000000000010000000000000001").unwrap();
        let cert_id = hex::decode("e6b652dd0000000400000000000008010000000000000001").unwrap();
        let mut wallet = Wallet::new(Profile::aes256());
        for (item, id) in [
            (Item::PrivateKey(Zeroizing::new(vec![0x30, 0x00])), key_id),
            (Item::Certificate(self_signed()), cert_id),
        ] {
            wallet.entries.push(Entry {
                item,
                friendly_name: Some("orakey".into()),
                local_key_id: Some(id),
                other_attributes: Vec::new(),
            });
        }
        assert!(wallet.is_user_certificate(1));
        assert!(wallet.trusted_indices().is_empty());
        wallet.remove(&[1]);
        assert!(
            wallet.entries.is_empty(),
            "removing the certificate removes its key"
        );
    }

    #[test]
    fn trust_flags_need_the_marker_and_follow_orapkis_defaults() {
        let ca = self_signed();
        let mut plain = Wallet::new(Profile::aes256());
        assert!(matches!(
            plain.add_trusted_with_flags(&ca, Some(TrustFlags(TrustFlags::NULL))),
            Err(ModelError::TrustFlagsDisabled)
        ));
        plain.add_trusted(&ca).unwrap();
        assert!(plain.entries[0].trust_flags().is_empty());
        assert!(plain.enable_trust_flags(false).unwrap());
        assert_eq!(plain.entries[0].trust_flags().orapki_text(), "SERVER_AUTH");
        // The marker stays last when more entries come.
        plain.add_secret("a", "b").unwrap();
        assert!(config_marker::find(&plain).is_some_and(|(i, _)| i == plain.entries.len() - 1));
        // mkstore puts secrets first, so the certificate moved down by one.
        assert!(matches!(plain.entries[0].item, Item::Secret { .. }));
        let ca_at = 1;
        assert!(matches!(
            plain.assign_trust_flags(ca_at, TrustFlags(TrustFlags::VALID_PEER)),
            Err(ModelError::Trust(TrustError::ValidPeerOnCa(_)))
        ));
        plain
            .assign_trust_flags(
                ca_at,
                TrustFlags(TrustFlags::SERVER_AUTH | TrustFlags::CLIENT_AUTH),
            )
            .unwrap();
        assert_eq!(plain.entries[ca_at].oracle_id().unwrap().kind, 0x303);
    }
}
