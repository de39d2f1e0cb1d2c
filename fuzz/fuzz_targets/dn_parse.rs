//! The distinguished-name parser; a parsed name must print without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::pki::name;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(dn) = name::parse_dn(text) {
        let _ = name::to_rfc2253(&dn);
        let _ = name::common_name(&dn);
    }
});
