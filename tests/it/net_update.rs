//! `--update FILE` on copies of real Oracle-made files: only the target entries change
//! (checked with a line diff), a backup is kept and never replaced, and malformed files
//! are refused with FILE:LINE:COLUMN and left untouched.

use std::fs;
use std::path::{Path, PathBuf};

use orakit::net::Document;

use crate::support::*;

/// Lines removed from `before` and lines added in `after`, by 0-based index (a longest
/// common subsequence diff, the same idea as `diff`).
fn line_diff(before: &str, after: &str) -> (Vec<usize>, Vec<usize>) {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(j);
            j += 1;
        } else {
            removed.push(i);
            i += 1;
        }
    }
    (removed, added)
}

/// The 0-based line range of the entry starting with `start` in column 1, up to (not
/// including) the next blank line, found by reading the text, not by the parser.
fn entry_lines(text: &str, start: &str) -> std::ops::Range<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with(start))
        .expect(start);
    let end = lines[first..]
        .iter()
        .position(|l| l.trim().is_empty())
        .map_or(lines.len(), |n| first + n);
    first..end
}

fn copy_fixture(rel: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let src = oracle_fixtures()?.join(rel);
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join(Path::new(rel).file_name().unwrap());
    fs::copy(&src, &dst).unwrap();
    Some((dir, dst))
}

#[test]
fn updating_a_real_tnsnames_changes_only_the_target_entries() {
    let Some((_dir, file)) = copy_fixture("phjrdla-dg/tnsnames.ora") else {
        return;
    };
    let before = fs::read_to_string(&file).unwrap();
    let target = entry_lines(&before, "LABDG1 =");
    let out = run_ok(
        orakit()
            .args(words("net tnsnames --alias labdg1 --host oel2.pb.org --port 1522 --service LABDG1 --server-dn CN=oel2.pb.org --update"))
            .arg(&file),
    );
    let after = fs::read_to_string(&file).unwrap();
    let (removed, added) = line_diff(&before, &after);
    // Only the port differs from what netca wrote: our layout is netca's.
    assert_eq!(removed.len(), 1, "{removed:?}");
    assert!(
        before
            .lines()
            .nth(removed[0])
            .unwrap()
            .contains("(PORT = 1521)")
    );
    for line in &removed {
        assert!(
            target.contains(line),
            "line {} changed outside LABDG1: {:?}",
            line + 1,
            before.lines().nth(*line)
        );
    }
    // Added lines: the rewritten LABDG1 in place, and LABDG1_SSL appended at the end.
    let after_lines: Vec<&str> = after.lines().collect();
    let before_len = before.lines().count();
    let new_ssl = entry_lines(&after, "labdg1_SSL =");
    assert_eq!(
        new_ssl.end,
        after_lines.len(),
        "the new alias is appended last"
    );
    let grown = after_lines.len() - before_len;
    for line in &added {
        let in_place = *line >= target.start && *line < target.end + grown;
        assert!(
            in_place || *line + 1 >= new_ssl.start,
            "unexpected added line {}: {:?}",
            line + 1,
            after_lines[*line]
        );
    }
    // The file name as written (`LABDG1`) is kept; every other entry is byte-identical.
    let doc = Document::parse(&after).unwrap();
    assert_eq!(doc.find("labdg1").unwrap().names(), ["LABDG1"]);
    let old = Document::parse(&before).unwrap();
    for p in old.parameters().filter(|p| !p.is_named("LABDG1")) {
        assert_eq!(doc.find(p.names()[0]).unwrap().print(), p.print());
    }
    let backup = file.with_file_name("tnsnames.ora.bak");
    assert_eq!(fs::read_to_string(&backup).unwrap(), before);
    assert!(
        stderr(&out).contains("tnsnames.ora.bak"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn updating_a_real_listener_adds_tcps_and_leaves_static_registration_alone() {
    let Some((_dir, file)) = copy_fixture("phjrdla-dg/listener.ora") else {
        return;
    };
    let before = fs::read_to_string(&file).unwrap();
    run_ok(
        orakit()
            .args(words("net listener --host oel2.pb.org --ipc-key EXTPROC1521 --wallet-dir /u01/app/oracle/wallet --update"))
            .arg(&file),
    );
    let after = fs::read_to_string(&file).unwrap();
    let (removed, added) = line_diff(&before, &after);
    // The only line netca wrote that changes is none: the TCPS address is inserted
    // between the TCP and IPC lines, the rest is appended after SID_LIST_LISTENER.
    assert_eq!(removed, Vec::<usize>::new());
    let after_lines: Vec<&str> = after.lines().collect();
    assert!(after_lines[added[0]].contains("(PROTOCOL = TCPS)(HOST = oel2.pb.org)(PORT = 2484)"));
    let sid_list = entry_lines(&before, "SID_LIST_LISTENER =");
    assert!(added[1..].iter().all(|l| *l > sid_list.end), "{added:?}");
    assert!(
        after.contains(
            &before[before.find("SID_LIST_LISTENER").unwrap()..]
                .trim_end()
                .to_string()
        )
    );
}

#[test]
fn updating_a_crlf_file_keeps_crlf_and_backups_are_never_replaced() {
    let Some((_dir, file)) = copy_fixture("boomi-trust/tnsnames.ora") else {
        return;
    };
    let original = fs::read_to_string(&file).unwrap();
    let update = |port: &str| {
        run_ok(
            orakit()
                .args([
                    "net",
                    "tnsnames",
                    "--alias",
                    "IFS9QA",
                    "--host",
                    "USPHOS04.instron.com",
                    "--port",
                    port,
                    "--service",
                    "IFS9QA",
                    "--update",
                ])
                .arg(&file),
        );
    };
    update("1521");
    let first = fs::read_to_string(&file).unwrap();
    assert!(
        !first.replace("\r\n", "").contains('\n'),
        "a bare LF slipped in"
    );
    let (removed, _) = line_diff(&original, &first);
    let target = entry_lines(&original, "IFS9QA =");
    assert!(
        removed.iter().all(|l| target.contains(l)),
        "{removed:?} vs {target:?}"
    );
    update("1599");
    let bak = file.with_file_name("tnsnames.ora.bak");
    let bak1 = file.with_file_name("tnsnames.ora.bak.1");
    assert_eq!(fs::read_to_string(&bak).unwrap(), original);
    assert_eq!(fs::read_to_string(&bak1).unwrap(), first);
    // Nothing to change: no write, no new backup.
    update("1599");
    assert!(!file.with_file_name("tnsnames.ora.bak.2").exists());
}

#[test]
fn updating_a_server_sqlnet_upserts_each_parameter() {
    let Some((_dir, file)) = copy_fixture("kamalamay-11g/sqlnet.ora") else {
        return;
    };
    let before = fs::read_to_string(&file).unwrap();
    run_ok(
        orakit()
            .args(words(
                "net sqlnet --role server --wallet-dir /u01/wallet --update",
            ))
            .arg(&file),
    );
    let after = fs::read_to_string(&file).unwrap();
    // The fixture has no final newline; everything it had stays, byte for byte, in front.
    assert!(after.starts_with(&before), "{after}");
    let doc = Document::parse(&after).unwrap();
    for name in [
        "WALLET_LOCATION",
        "SSL_CLIENT_AUTHENTICATION",
        "SSL_VERSION",
        "SSL_CIPHER_SUITES",
        "SQLNET.AUTHENTICATION_SERVICES",
    ] {
        assert!(doc.find(name).is_some(), "{name}");
    }
}

#[test]
fn malformed_files_are_refused_with_a_position_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unbalanced.ora",
            "A =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCP)(HOST = h)(PORT = 1)\n  )\n",
            "2:3",
        ),
        (
            "missing-eq.ora",
            "# x\nA (DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)))\n",
            "2:3",
        ),
        ("stray.ora", "A = (B = 1)\nstray words\n", "2:7"),
    ];
    for (name, text, position) in cases {
        let file = dir.path().join(name);
        fs::write(&file, text).unwrap();
        let err = run_fails(
            orakit()
                .args(words(
                    "net tnsnames --alias A --host h --service s --update",
                ))
                .arg(&file),
            1,
        );
        let expected = format!("{}:{position}:", file.display());
        assert!(err.contains(&expected), "{name}: {err}");
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            text,
            "{name} was changed"
        );
        assert_eq!(
            list_files(dir.path()).len(),
            cases.iter().position(|c| c.0 == name).unwrap() + 1,
            "something was written"
        );
        // net check reports the same position and exits 3.
        let out = run(orakit().args(["net", "check"]).arg(&file));
        assert_eq!(out.status.code(), Some(3), "{name}");
        assert!(stdout(&out).contains(&expected), "{}", stdout(&out));
    }
    let missing = dir.path().join("none.ora");
    let err = run_fails(
        orakit()
            .args(words("net sqlnet --role client --wallet-dir /w --update"))
            .arg(&missing),
        1,
    );
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn a_symlinked_file_is_updated_through_its_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real-tnsnames.ora");
    let link = dir.path().join("tnsnames.ora");
    fs::write(
        &real,
        "# mine\nOTHER = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)(HOST = o)(PORT = 1)))\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    run_ok(
        orakit()
            .args(words(
                "net tnsnames --alias A --host h --service s --update",
            ))
            .arg(&link),
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with("# mine\nOTHER =") && text.contains("A_SSL ="),
        "{text}"
    );
    assert!(dir.path().join("real-tnsnames.ora.bak").is_file());
}
