//! Oracle's usage answers, as orapki and mkstore print them (after their banner), so a
//! script that greps them or a person who reads them sees the same text: 23ai's, or 19.x's
//! when `ORAKIT_ORAPKI_RELEASE=19c` (captured from orapki 19c; 19c has no `secretstore`
//! and still lists `-compat_v11`).

/// The orapki release the front end stands in for (and whose layout the native commands
/// write): `23ai`, or `19c` for a 19c shop.
pub const RELEASE_ENV: &str = "ORAKIT_ORAPKI_RELEASE";

/// Whether the front end answers as orapki / mkstore 19c.
pub fn is_19c() -> bool {
    std::env::var(RELEASE_ENV).is_ok_and(|r| r.eq_ignore_ascii_case("19c"))
}

/// `orapki` with no or an unknown command.
pub fn orapki_top() -> &'static str {
    if is_19c() {
        "orapki [crl|wallet|cert|help] <-nologo> <-jsafe> <-use_jce> <-use_jce_only> <-fips140_mode [FIPS_140_3]>\n"
    } else {
        "orapki [crl|wallet|cert|secretstore|help] <-nologo> <-jsafe> <-use_jce> <-use_jce_only> <-fips140_mode [FIPS_140_3]>\n"
    }
}

/// `orapki help`.
pub fn orapki_help() -> &'static str {
    if is_19c() {
        include_str!("orapki_help_19c.txt")
    } else {
        include_str!("orapki_help_23ai.txt")
    }
}

/// `orapki wallet` with a misspelt subcommand, an unknown option or a missing value.
pub fn orapki_wallet() -> &'static str {
    if is_19c() {
        include_str!("orapki_wallet_usage_19c.txt")
    } else {
        include_str!("orapki_wallet_usage_23ai.txt")
    }
}

/// `mkstore -help`, and the answer to a command line mkstore cannot read (the same text in
/// 19c and 23ai, observed).
pub const MKSTORE: &str = include_str!("mkstore_usage_23ai.txt");
/// `orapki crl help`, and the answer to a misspelt crl command, a missing argument or an
/// unknown option of `crl create|revoke|verify|status`.
pub const ORAPKI_CRL: &str = include_str!("orapki_crl_usage_23ai.txt");
/// The older crl usage text orapki 23ai still prints after `Invalid command: WORD` for an
/// unknown option of `crl display|hash|upload|list|delete`.
pub const ORAPKI_CRL_SHORT: &str = include_str!("orapki_crl_usage_short_23ai.txt");

/// orapki's PKI-01002 for a new password its rule refuses: 23ai asks for sixteen
/// characters, 19c for eight.
pub fn invalid_password() -> &'static str {
    if is_19c() {
        "PKI-01002: Invalid password. Passwords must have a minimum length of eight characters and contain alphabetic characters combined with numbers or special characters. "
    } else {
        "PKI-01002: Invalid password. Passwords must have a minimum length of sixteen characters and contain alphabetic characters combined with numbers or special characters. "
    }
}

/// The `--target` the native commands are given: `19c` or `23ai`.
pub fn target() -> String {
    if is_19c() { "19c" } else { "23ai" }.to_string()
}
