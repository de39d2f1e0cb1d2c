//! Old spellings of renamed options (docs/cli-names.md). clap accepts each one as a
//! hidden alias of the new name; this table only prints one note per old spelling used,
//! so scripts keep working and their owners learn the new name before the old one goes.

use std::ffi::OsString;

/// One renamed spelling. `scope` is the command path it applies to (empty: every
/// command); `value` is set when a value was renamed rather than the option.
struct Rename {
    scope: &'static [&'static str],
    old: &'static str,
    new: &'static str,
    value: Option<(&'static str, &'static str)>,
}

const RENAMES: &[Rename] = &[
    Rename {
        scope: &["tcps", "issue"],
        old: "--wallet-location",
        new: "--server-wallet-dir",
        value: None,
    },
    Rename {
        scope: &["probe"],
        old: "--ca",
        new: "--ca-cert",
        value: None,
    },
    Rename {
        scope: &["dms", "wallet"],
        old: "--ca",
        new: "--ca-cert",
        value: None,
    },
    Rename {
        scope: &[],
        old: "--key-type",
        new: "--key-type",
        value: Some(("rsa", "rsa2048")),
    },
    Rename {
        scope: &[],
        old: "--key-type",
        new: "--key-type",
        value: Some(("ec", "p256")),
    },
    Rename {
        scope: &["key"],
        old: "-f",
        new: "--force",
        value: None,
    },
    Rename {
        scope: &["ca"],
        old: "-f",
        new: "--force",
        value: None,
    },
    Rename {
        scope: &["csr"],
        old: "-f",
        new: "--force",
        value: None,
    },
    Rename {
        scope: &["man"],
        old: "-f",
        new: "--force",
        value: None,
    },
];

/// The notes for the old spellings in `args` (the whole argv, program name first), one
/// per rename, in table order. Options after `--` are values, not options.
pub fn notes(args: &[OsString]) -> Vec<String> {
    let words: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str().unwrap_or(""))
        .take_while(|a| *a != "--")
        .collect();
    let mut notes = Vec::new();
    for rename in RENAMES {
        if !words.starts_with(rename.scope) {
            continue;
        }
        let used = match rename.value {
            None => words.iter().any(|w| {
                *w == rename.old
                    || (rename.old.starts_with("--")
                        && w.strip_prefix(rename.old)
                            .is_some_and(|r| r.starts_with('=')))
            }),
            Some((old_value, _)) => {
                words
                    .windows(2)
                    .any(|p| p[0] == rename.old && p[1] == old_value)
                    || words.iter().any(|w| {
                        w.strip_prefix(rename.old).and_then(|r| r.strip_prefix('='))
                            == Some(old_value)
                    })
            }
        };
        if !used {
            continue;
        }
        notes.push(match rename.value {
            None => format!(
                "note: {} is now {}; the old name goes away in a later release",
                rename.old, rename.new
            ),
            Some((old_value, new_value)) => format!(
                "note: {} {old_value} is now {} {new_value}; the old name goes away in a later release",
                rename.old, rename.new
            ),
        });
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<OsString> {
        std::iter::once("orakit")
            .chain(line.split(' '))
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn a_renamed_option_gives_one_note_in_its_own_command_only() {
        assert_eq!(
            notes(&argv("probe h:1 --ca x.pem")),
            ["note: --ca is now --ca-cert; the old name goes away in a later release"]
        );
        assert_eq!(notes(&argv("probe h:1 --ca=x.pem")).len(), 1);
        // `wallet add-self-signed --ca` is a different, current option.
        assert!(notes(&argv("wallet add-self-signed --ca --wallet w")).is_empty());
        assert!(notes(&argv("probe h:1 --ca-cert x.pem")).is_empty());
        assert!(notes(&argv("key generate -- -f")).is_empty());
    }

    #[test]
    fn a_renamed_value_gives_a_note_with_both_values() {
        assert_eq!(
            notes(&argv("net sqlnet --key-type ec")),
            [
                "note: --key-type ec is now --key-type p256; the old name goes away in a later release"
            ]
        );
        assert_eq!(notes(&argv("net check f --key-type=rsa")).len(), 1);
        assert!(notes(&argv("net sqlnet --key-type p256")).is_empty());
    }
}
