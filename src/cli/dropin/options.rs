//! Oracle's single-dash options: `-name value` for options that take a value, `-name` for
//! switches, in any order after the subcommand (as orapki and mkstore accept them). The
//! options each command knows are listed by the caller; anything else is refused so the
//! caller can answer with Oracle's usage text.

use std::collections::BTreeMap;

/// What went wrong while reading the options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionError {
    /// A word that is no option of this command (orapki: `Invalid command: WORD`).
    Unknown(String),
    /// An option that takes a value was last on the line.
    MissingValue(String),
}

/// The parsed options: values by name (without the dash), switches as present.
#[derive(Debug, Default, Clone)]
pub struct Options {
    values: BTreeMap<String, String>,
    switches: Vec<String>,
}

impl Options {
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name) || self.values.contains_key(name)
    }
}

/// Parses `args`: `valued` options take the next word, `switches` none. Global switches
/// (`-nologo` and the provider choices orakit has no use for) are accepted everywhere.
pub fn parse(args: &[String], valued: &[&str], switches: &[&str]) -> Result<Options, OptionError> {
    const GLOBAL: [&str; 4] = ["nologo", "jsafe", "use_jce", "use_jce_only"];
    let mut out = Options::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let Some(name) = word.strip_prefix('-') else {
            return Err(OptionError::Unknown(word.clone()));
        };
        if valued.contains(&name) || name == "fips140_mode" {
            match words.next() {
                Some(value) => {
                    out.values.insert(name.to_string(), value.clone());
                }
                None => return Err(OptionError::MissingValue(word.clone())),
            }
        } else if switches.contains(&name) || GLOBAL.contains(&name) {
            out.switches.push(name.to_string());
        } else {
            return Err(OptionError::Unknown(word.clone()));
        }
    }
    Ok(out)
}

/// Whether `-nologo` is anywhere on the line (Oracle's tools look before parsing).
pub fn nologo(args: &[String]) -> bool {
    args.iter().any(|a| a == "-nologo")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn values_and_switches_in_any_order() {
        let o = parse(
            &words("-auto_login -pwd Secret12 -nologo -wallet /w"),
            &["wallet", "pwd"],
            &["auto_login"],
        )
        .unwrap();
        assert_eq!(o.value("wallet"), Some("/w"));
        assert_eq!(o.value("pwd"), Some("Secret12"));
        assert!(o.has("auto_login"));
        assert!(!o.has("auto_login_only"));
    }

    #[test]
    fn unknown_and_missing_values_are_refused() {
        assert_eq!(
            parse(&words("-wallet w -bogus"), &["wallet"], &[]).unwrap_err(),
            OptionError::Unknown("-bogus".into())
        );
        assert_eq!(
            parse(&words("-wallet"), &["wallet"], &[]).unwrap_err(),
            OptionError::MissingValue("-wallet".into())
        );
        assert_eq!(
            parse(&words("stray"), &["wallet"], &[]).unwrap_err(),
            OptionError::Unknown("stray".into())
        );
    }
}
