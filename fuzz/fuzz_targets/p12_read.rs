//! PKCS#12 reader on raw bytes (what `wallet display` does with an ewallet.p12).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = orakit::wallet::p12::read(data, b"Welcome1#");
});
