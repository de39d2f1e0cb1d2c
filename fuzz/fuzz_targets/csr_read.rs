//! Certificate requests in PEM or DER, with signature check and requested SANs.
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::pki::csr::Csr;

fuzz_target!(|data: &[u8]| {
    if let Ok(csr) = Csr::from_pem_or_der(data) {
        let _ = csr.verify();
        let _ = csr.requested_sans();
        let _ = orakit::pki::name::to_rfc2253(csr.subject());
    }
});
