//! Certificates in PEM (one or many) or DER, and what `cert show` derives from them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::pki::{cert, name};

fuzz_target!(|data: &[u8]| {
    if let Ok(certs) = cert::read_certificates(data) {
        for c in &certs {
            let _ = name::to_rfc2253(&c.tbs_certificate().subject());
            let _ = cert::basic_constraints(c);
            let _ = cert::key_usage(c);
            let _ = cert::to_pem(c);
        }
        let _ = orakit::pki::show::describe_certificate(&certs[0]);
    }
    let _ = cert::read_certificate(data);
});
