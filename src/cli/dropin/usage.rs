//! Oracle's usage answers, as orapki 23ai and mkstore 23ai print them (after their banner),
//! so a script that greps them or a person who reads them sees the same text.

/// `orapki` with no or an unknown command.
pub const ORAPKI_TOP: &str = "orapki [crl|wallet|cert|secretstore|help] <-nologo> <-jsafe> <-use_jce> <-use_jce_only> <-fips140_mode [FIPS_140_3]>\n";
/// `orapki help`.
pub const ORAPKI_HELP: &str = include_str!("orapki_help_23ai.txt");
/// `orapki wallet` with a misspelt subcommand, an unknown option or a missing value.
pub const ORAPKI_WALLET: &str = include_str!("orapki_wallet_usage_23ai.txt");
/// `mkstore -help`, and the answer to a command line mkstore cannot read.
pub const MKSTORE: &str = include_str!("mkstore_usage_23ai.txt");
/// `orapki crl help`, and the answer to a misspelt crl command, a missing argument or an
/// unknown option of `crl create|revoke|verify|status`.
pub const ORAPKI_CRL: &str = include_str!("orapki_crl_usage_23ai.txt");
/// The older crl usage text orapki 23ai still prints after `Invalid command: WORD` for an
/// unknown option of `crl display|hash|upload|list|delete`.
pub const ORAPKI_CRL_SHORT: &str = include_str!("orapki_crl_usage_short_23ai.txt");
