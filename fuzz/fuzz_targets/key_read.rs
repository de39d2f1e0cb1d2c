//! Private keys in PEM or DER, every format (PKCS#8 plain/encrypted, PKCS#1, SEC1).
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::pki::key::PrivateKey;
use orakit::secret::Password;

fuzz_target!(|data: &[u8]| {
    let _ = PrivateKey::is_encrypted(data);
    let _ = PrivateKey::from_pem_or_der(data, None);
    let password = Password::new("Welcome1#".into());
    if let Ok(key) = PrivateKey::from_pem_or_der(data, Some(&password)) {
        // A key that was accepted must also describe and re-encode itself.
        let _ = key.description();
        let _ = key.public_key_info();
        let _ = key.to_pkcs8_der();
    }
});
