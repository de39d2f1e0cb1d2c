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
fn version_is_printed() {
    let out = run_ok(orakit().arg("--version"));
    assert!(stdout(&out).starts_with("orakit "));
}
