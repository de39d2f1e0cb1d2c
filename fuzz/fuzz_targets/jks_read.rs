//! JKS / JCEKS reader: any bytes give a key store or an error, never a panic. The input is
//! sealed with the store's integrity digest for a fixed password first, so the fuzzer
//! reaches the entry parser (and the key unprotection) instead of stopping at the digest.
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::pki::jks;
use sha1::{Digest, Sha1};

const PASSWORD: &str = "fuzzpass1";

fuzz_target!(|data: &[u8]| {
    let _ = jks::read(data, PASSWORD);
    let mut sealed = data.to_vec();
    let mut h = Sha1::new();
    let pw: Vec<u8> = PASSWORD.encode_utf16().flat_map(u16::to_be_bytes).collect();
    h.update(&pw);
    h.update(b"Mighty Aphrodite");
    h.update(data);
    sealed.extend_from_slice(h.finalize().as_slice());
    let _ = jks::read(&sealed, PASSWORD);
});
