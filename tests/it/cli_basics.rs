//! The command line as a whole: version, help, completions, usage errors.

use crate::support::*;

#[test]
fn completions_are_generated_for_bash() {
    let out = run_ok(orakit().args(["completions", "bash"]));
    let script = stdout(&out);
    assert!(script.contains("_orakit"), "{script}");
    assert!(script.contains("complete"), "{script}");
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let err = run_fails(orakit().arg("frobnicate"), 2);
    assert!(err.contains("frobnicate"), "{err}");
}

#[test]
fn version_names_the_commit_and_the_build_date() {
    let out = run_ok(orakit().arg("--version"));
    let line = stdout(&out);
    assert!(
        line.starts_with(&format!("orakit {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{line}"
    );
    // The commit git itself names for this checkout (the build script asked the same git).
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    assert!(
        !head.is_empty() && line.contains(&head),
        "{line} should name commit {head}"
    );
    let built = line
        .split("built ")
        .nth(1)
        .unwrap_or_default()
        .trim_end_matches([')', '\n']);
    assert!(
        time::Date::parse(
            built,
            time::macros::format_description!("[year]-[month]-[day]")
        )
        .is_ok(),
        "{line}"
    );
}

#[test]
fn subcommands_do_not_repeat_the_version_flag() {
    let help = stdout(&run_ok(orakit().args(["wallet", "create", "--help"])));
    assert!(!help.contains("--version"), "{help}");
    run_fails(orakit().args(["wallet", "create", "-V"]), 2);
}

#[test]
fn man_pages_cover_every_command_and_are_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    run_ok(orakit().args(["man", "--out", out]));
    // Every command `--help` lists at the top and under `wallet` has its page.
    for (group, page_prefix) in [(vec![], "orakit"), (vec!["wallet"], "orakit-wallet")] {
        let help = stdout(&run_ok(
            orakit().args(group.iter().copied().chain(["--help"])),
        ));
        let commands = help
            .split("Commands:")
            .nth(1)
            .unwrap()
            .split("Options:")
            .next()
            .unwrap()
            .lines()
            // A command's line starts with two spaces; wrapped descriptions with more.
            .filter_map(|l| l.strip_prefix("  ").filter(|l| !l.starts_with(' ')))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|c| *c != "help")
            .collect::<Vec<_>>();
        assert!(commands.len() > 5, "{help}");
        for c in commands {
            let page = dir.path().join(format!("{page_prefix}-{c}.1"));
            let text = std::fs::read_to_string(&page)
                .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
            assert!(
                text.starts_with(".ie") || text.contains(".TH"),
                "{}",
                page.display()
            );
            assert!(
                text.contains(&format!("{page_prefix}-{c}")),
                "{}",
                page.display()
            );
        }
    }
    // The same pages again are no overwrite (same bytes, nothing written); a page that
    // differs is not replaced without --force.
    run_ok(orakit().args(["man", "--out", out]));
    std::fs::write(dir.path().join("orakit.1"), b"edited by hand\n").unwrap();
    let err = run_fails(orakit().args(["man", "--out", out]), 1);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("orakit.1")).unwrap(),
        b"edited by hand\n"
    );
    run_ok(orakit().args(["man", "--force", "--out", out]));
}
