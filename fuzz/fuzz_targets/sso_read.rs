//! cwallet.sso reader: any bytes give a wallet or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::wallet::sso::{self, LocalIdentity};

fuzz_target!(|data: &[u8]| {
    let _ = sso::read(data, None);
    // Kind 0x38 files take the local-identity path as well (version 7: with a machine id).
    let identity = LocalIdentity {
        host: "dbhost.example.com".into(),
        user: "oracle".into(),
        machine_id: Some("0123456789abcdef0123456789abcdef".into()),
    };
    let _ = sso::read(data, Some(&identity));
});
