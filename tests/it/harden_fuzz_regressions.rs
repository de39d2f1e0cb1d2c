//! Inputs the fuzzers (fuzz/, docs/reliability.md) found to crash orakit, kept as
//! regression tests against the library entry point that crashed. The bytes are built
//! here: no fixture bytes are copied into the repository.

/// sso_read, first minutes of fuzzing: a cwallet.sso header whose length field is 0
/// indexed `bytes[13..12]` and panicked. Now a damaged-header error.
#[test]
fn harden_fuzz_sso_header_length_zero_is_an_error_not_a_panic() {
    for n in [0u32, 1] {
        let mut bytes = vec![0xA1, 0xF8, 0x4E, 0x37, 0, 0, 0, 6];
        bytes.extend_from_slice(&n.to_be_bytes());
        bytes.extend_from_slice(&[0x06; 40]);
        let err = orakit::wallet::sso::read(&bytes, None).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("damaged auto-login header") || text.contains("header"),
            "{text}"
        );
    }
}
