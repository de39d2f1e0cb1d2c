//! Reruns of the commands that write: the second run reports `changed: false` and no
//! file's bytes or mtime change (docs/json.md, "Reruns").

use crate::contract_common::{assert_untouched, snapshot};
use crate::fleet_common::{HEADER, issue, setup};
use crate::support::run_ok;

/// `tcps issue` over complete hosts leaves every file of OUT as it was, summary.json
/// included; a changed host set rewrites the summary.
#[test]
fn tcps_issue_rerun_touches_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    setup(d);
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}db01.example.com,,ORCL,2484,\n"),
    )
    .unwrap();
    let first = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let first: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(
        (first["issued"].as_u64(), first["changed"].as_bool()),
        (Some(1), Some(true))
    );
    let out = d.join("out");
    let before = snapshot(&out);
    assert!(before.contains_key(&out.join("summary.json")));

    let second = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let second: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(second["changed"], false, "{second:#}");
    assert_eq!(second["changes"], serde_json::json!([]), "{second:#}");
    assert_eq!(
        (second["skipped"].as_u64(), second["issued"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(second["hosts"][0]["status"], "skipped", "{second:#}");
    assert_untouched(&before, &snapshot(&out), "tcps issue rerun");

    // A second host: it is issued and the summary now lists both.
    std::fs::write(
        d.join("hosts.csv"),
        format!("{HEADER}db01.example.com,,ORCL,2484,\ndb02.example.com,,ORCL,2484,\n"),
    )
    .unwrap();
    let third = run_ok(issue(d, "hosts.csv", "out").args(["--key-type", "p256", "--json"]));
    let third: serde_json::Value = serde_json::from_slice(&third.stdout).unwrap();
    assert_eq!(
        (third["issued"].as_u64(), third["skipped"].as_u64()),
        (Some(1), Some(1))
    );
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let mut listed: Vec<&str> = on_disk["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, ["db01.example.com", "db02.example.com"]);
    assert_eq!(on_disk["issued"], 1);
}
