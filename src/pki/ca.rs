//! Self-signed root CAs.

use std::time::{Duration, SystemTime};

use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::name::Name;
use x509_cert::time::{Time, Validity};

use super::error::{Error, Result};
use super::key::PrivateKey;
use super::profile::{FixedProfile, ca_extensions};
use super::serial::random_serial;
use super::signer::SignatureBytes;

/// Longest validity orakit issues: 100 years.
pub const MAX_DAYS: u32 = 36_500;

/// How far `notBefore` is set in the past, so hosts with slightly slow clocks accept a
/// certificate made a moment ago.
pub(crate) const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

/// Makes a self-signed root CA certificate for `key` with the extensions of
/// [`crate::pki::profile::ca_extensions`], valid for `days` from now.
pub fn create_self_signed_ca(key: &PrivateKey, subject: &Name, days: u32) -> Result<Certificate> {
    if subject.is_empty() {
        return Err(Error::InvalidDn {
            dn: String::new(),
            reason: "a CA certificate needs a subject, like CN=Example Root CA, O=Example".into(),
        });
    }
    check_days(days)?;
    let signer = key.signer()?;
    let spki = key.public_key_info()?;
    let now = SystemTime::now();
    let validity = Validity::new(
        to_time(now - CLOCK_SKEW)?,
        to_time(now + Duration::from_secs(u64::from(days) * 86_400))?,
    );
    let profile = FixedProfile {
        issuer: subject.clone(),
        subject: subject.clone(),
        extensions: ca_extensions(&spki)?,
    };
    let builder = CertificateBuilder::new(profile, random_serial()?, validity, spki)
        .map_err(|e| Error::internal("preparing the certificate", e))?;
    builder
        .build::<_, SignatureBytes>(&signer)
        .map_err(|e| Error::internal("signing the certificate", e))
}

pub(crate) fn check_days(days: u32) -> Result<()> {
    if days == 0 || days > MAX_DAYS {
        return Err(Error::InvalidValidity(format!(
            "{days} days: choose between 1 and {MAX_DAYS}"
        )));
    }
    Ok(())
}

pub(crate) fn to_time(t: SystemTime) -> Result<Time> {
    Time::try_from(t)
        .map_err(|e| Error::InvalidValidity(format!("the date cannot be encoded ({e})")))
}
