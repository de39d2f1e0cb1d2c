//! The Oracle Net parser against every real Oracle-made `.ora` file, and property tests:
//! parsing never panics, and whatever parses prints back byte for byte.

use std::path::PathBuf;
use std::sync::OnceLock;

use orakit::net::{Document, SyntaxErrorKind};
use proptest::prelude::*;

use crate::support::*;

/// Every `*.ora` below the fixture folder, with its bytes.
pub fn ora_fixtures() -> Vec<(PathBuf, Vec<u8>)> {
    let Some(dir) = oracle_fixtures() else {
        return Vec::new();
    };
    let mut found: Vec<(PathBuf, Vec<u8>)> = list_files(&dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ora"))
        .map(|p| {
            let path = dir.join(p);
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_real_ora_file_round_trips_byte_for_byte() {
    let fixtures = ora_fixtures();
    if oracle_fixtures().is_none() {
        return;
    }
    // The fixture folder holds 34 .ora files; far fewer means the walk is broken.
    assert!(
        fixtures.len() >= 30,
        "found only {} .ora files",
        fixtures.len()
    );
    for (path, bytes) in &fixtures {
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", path.display()));
        let doc = Document::parse(text).unwrap_or_else(|e| panic!("{}:{e}", path.display()));
        assert_eq!(doc.print().as_bytes(), &bytes[..], "{}", path.display());
        assert!(
            doc.parameters().count() > 0
                || text
                    .lines()
                    .all(|l| l.trim().is_empty() || l.starts_with('#'))
        );
    }
}

#[test]
fn real_files_are_read_with_their_quirks() {
    let Some(dir) = oracle_fixtures() else {
        return;
    };
    let read = |rel: &str| {
        let text = std::fs::read_to_string(dir.join(rel)).unwrap();
        Document::parse(&text).unwrap()
    };
    // Windows 19c: `#` comments inside open parentheses; spaced `( KEY = (` layout.
    let listener = read("renenyffenegger-win19c/listener.ora");
    let sid_desc = listener
        .find("sid_list_listener")
        .and_then(|p| p.group_at(&["SID_LIST", "SID_DESC", "SID_NAME"]))
        .and_then(|g| g.scalar());
    assert_eq!(sid_desc.as_deref(), Some("ORA19"));
    // netca writes Windows paths with bare backslashes; they are part of the value.
    let home = listener
        .find("SID_LIST_LISTENER")
        .and_then(|p| p.group_at(&["SID_LIST", "SID_DESC", "ORACLE_HOME"]))
        .and_then(|g| g.scalar());
    assert_eq!(home.as_deref(), Some(r"c:\Oracle\19c"));
    let hosts: Vec<String> = listener
        .find("LISTENER")
        .unwrap()
        .groups()
        .flat_map(|g| g.descendants("HOST"))
        .filter_map(|g| g.scalar())
        .collect();
    assert_eq!(hosts, ["localhost", "DESKTOP-1SDJMCL"]);
    let spaced = read("renenyffenegger-win19c/tnsnames.ora");
    let service = spaced
        .find("ora19")
        .and_then(|p| p.group_at(&["DESCRIPTION", "CONNECT_DATA", "SERVICE_NAME"]))
        .and_then(|g| g.scalar());
    assert_eq!(service.as_deref(), Some("ORA19"));
    // ADB download: the DN is quoted and keeps its commas and spaces.
    let adb = read("adb-ora-history/peterdisztinger-2022/tnsnames.ora");
    let dn = adb
        .find("JASON_TP")
        .and_then(|p| p.group_at(&["description", "security", "ssl_server_cert_dn"]))
        .and_then(|g| g.scalar());
    assert_eq!(
        dn.as_deref(),
        Some(
            "CN=adwc.eucom-central-1.oraclecloud.com, OU=Oracle BMCS FRANKFURT, O=Oracle Corporation, L=Redwood City, ST=California, C=US"
        )
    );
    // ldap.ora: a list of host:port:port and an empty quoted value.
    let ldap = read("jampaniuday-oid/ldap.ora");
    assert_eq!(
        ldap.find("DIRECTORY_SERVERS").unwrap().list_items(),
        ["oid.example.com:3060:3131"]
    );
    assert_eq!(ldap.find("DEFAULT_ADMIN_CONTEXT").unwrap().atoms(), [""]);
    // Tab-indented, dotted aliases.
    let tommi = read("tommi2day/tnsnames.ora");
    assert!(tommi.find("xepdb1.LOCAL").is_some());
    // Listener-suffixed names; no final newline.
    let zvlad = read("zvlad-adm/listener.ora");
    assert_eq!(
        zvlad
            .find("CONNECT_TIMEOUT_LISTENER_TSTDB")
            .unwrap()
            .atoms(),
        ["120"]
    );
    let no_newline = read("zvlad-adm/no-final-newline-tnsnames.ora");
    assert_eq!(no_newline.parameters().count(), 2);
}

#[test]
fn a_hundred_thousand_open_parentheses_give_a_clear_error() {
    // Bare parentheses fail at the second one (a list cannot hold a group)...
    let bare = format!("A = {}\n", "(".repeat(100_000));
    assert!(Document::parse(&bare).is_err());
    // ...keyword groups at the nesting limit.
    let text = format!("A = {}\n", "(B=".repeat(100_000));
    let err = Document::parse(&text).unwrap_err();
    assert!(matches!(err.kind, SyntaxErrorKind::TooDeep { .. }), "{err}");
    assert!(err.to_string().contains("nested deeper than"), "{err}");
}

fn fixture_texts() -> &'static Vec<String> {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let mut texts: Vec<String> = ora_fixtures()
            .into_iter()
            .filter_map(|(_, b)| String::from_utf8(b).ok())
            .collect();
        // Without the fixtures (outside CI) mutate a built-in sample instead.
        texts.push("# c\nA, b.x =\r\n  (DESCRIPTION =\t# x\n    (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 1))\n    (SECURITY = (SSL_SERVER_CERT_DN = \"CN=a, O=b\")))\nB = (x, 'y')".to_owned());
        texts
    })
}

fn assert_lossless(text: &str) {
    if let Ok(doc) = Document::parse(text) {
        assert_eq!(doc.print(), text);
        // Lookups walk the whole tree: they must not panic either.
        for p in doc.parameters() {
            let _ = p.tree();
            let _ = p.list_items();
        }
    }
}

const ALPHABET: &[char] = &[
    '(', ')', '=', ',', '#', '"', '\'', '\\', ' ', '\t', '\r', '\n', 'A', 'b', '1', '.', '_', 'é',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        assert_lossless(&text);
    }

    #[test]
    fn grammar_like_text_never_panics(text in "[A-Za-z0-9 =(),#\"'\\\\\t\r\n._-]{0,300}") {
        assert_lossless(&text);
    }

    #[test]
    fn mutated_real_files_never_panic(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, any::<prop::sample::Index>()), 1..6),
    ) {
        let texts = fixture_texts();
        let mut chars: Vec<char> = which.get(texts).chars().collect();
        for (at, op, pick) in edits {
            if chars.is_empty() {
                break;
            }
            let i = at.index(chars.len());
            match op {
                0 => { chars.remove(i); }
                1 => chars.insert(i, *pick.get(ALPHABET)),
                2 => { let end = (i + pick.index(40)).min(chars.len()); chars.drain(i..end); }
                _ => { let end = (i + pick.index(40)).min(chars.len()); let copy: Vec<char> = chars[i..end].to_vec(); chars.splice(i..i, copy); }
            }
        }
        let text: String = chars.into_iter().collect();
        assert_lossless(&text);
    }
}

/// python-oracledb (thin mode, an independent parser) resolves every alias our parser finds
/// in the real tnsnames files to the same hosts and ports.
#[test]
fn aliases_resolve_like_python_oracledb_resolves_them() {
    let fixtures: Vec<(PathBuf, Vec<u8>)> = ora_fixtures()
        .into_iter()
        .filter(|(p, _)| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("tnsnames")
        })
        .collect();
    if fixtures.is_empty() {
        return;
    }
    let Some(()) = crate::net_generate::python_oracledb() else {
        return;
    };
    let script = r#"
import sys, oracledb
for index, arg in enumerate(sys.argv[1:]):
    config_dir, *aliases = arg.split("\t")
    for alias in aliases:
        try:
            p = oracledb.ConnectParams(config_dir=config_dir)
            p.parse_connect_string(alias)
            hosts = p.host if isinstance(p.host, list) else [p.host]
            ports = p.port if isinstance(p.port, list) else [p.port]
            print(index, alias, ",".join(hosts), ",".join(str(x) for x in ports))
        except Exception as e:
            print(index, alias, "ERROR", type(e).__name__)
"#;
    // One python process for every file: one config dir per file, aliases tab-separated.
    let root = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    let mut args = Vec::new();
    for (i, (path, bytes)) in fixtures.into_iter().enumerate() {
        let text = String::from_utf8(bytes).unwrap();
        let doc = Document::parse(&text).unwrap();
        let dir = root.path().join(i.to_string());
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("tnsnames.ora"), &text).unwrap();
        let mut arg = dir.display().to_string();
        for p in doc.parameters() {
            arg.push('\t');
            arg.push_str(p.names()[0]);
        }
        args.push(arg);
        docs.push((path, doc));
    }
    let out = run_ok(
        std::process::Command::new("python3")
            .args(["-c", script])
            .args(&args),
    );
    let mut compared = 0;
    for line in stdout(&out).lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let (path, doc) = &docs[fields[0].parse::<usize>().unwrap()];
        let fields = &fields[1..];
        if fields[1] == "ERROR" {
            continue; // e.g. IPC addresses, which thin mode does not support
        }
        let param = doc.find(fields[0]).unwrap();
        let get = |key: &str| -> Vec<String> {
            param
                .groups()
                .flat_map(|g| g.descendants(key))
                .filter_map(|g| g.scalar())
                .collect()
        };
        assert_eq!(
            get("HOST").join(","),
            fields[1],
            "{}: {}",
            path.display(),
            fields[0]
        );
        assert_eq!(
            get("PORT").join(","),
            fields[2],
            "{}: {}",
            path.display(),
            fields[0]
        );
        compared += 1;
    }
    assert!(compared >= 80, "only {compared} aliases compared");
}

/// On every real file, for every parameter: deleting it removes exactly its own text, and
/// replacing it with a changed copy changes nothing before or after it.
#[test]
fn edits_on_real_files_touch_only_their_entry() {
    for (path, bytes) in ora_fixtures() {
        let text = String::from_utf8(bytes).unwrap();
        let doc = Document::parse(&text).unwrap();
        let mut start = 0;
        for item in doc.items() {
            let own = match item {
                orakit::net::Item::Trivia(t) => {
                    start += t.len();
                    continue;
                }
                orakit::net::Item::Parameter(p) => p.print(),
            };
            let name = doc
                .parameters()
                .find(|p| p.offset() == start)
                .map(|p| p.names()[0].to_owned())
                .unwrap();
            assert_eq!(&text[start..start + own.len()], own, "{}", path.display());
            let (before, after) = (&text[..start], &text[start + own.len()..]);
            // Only the first parameter with a name is edited; skip later duplicates.
            if doc.find(&name).unwrap().offset() == start {
                let mut removed = doc.clone();
                assert_eq!(removed.remove(&name), 1, "{}: {name}", path.display());
                assert_eq!(
                    removed.print(),
                    format!("{before}{after}"),
                    "{}: {name}",
                    path.display()
                );
                let mut replaced = doc.clone();
                replaced.set_value(&name, "(CHANGED = 1)").unwrap();
                let printed = replaced.print();
                assert!(
                    printed.starts_with(before) && printed.ends_with(after),
                    "{}: {name}",
                    path.display()
                );
                let new = &printed[before.len()..printed.len() - after.len()];
                assert!(
                    new.contains("(CHANGED = 1)") && new.starts_with(&name),
                    "{new}"
                );
            }
            start += own.len();
        }
        assert_eq!(start, text.len(), "{}", path.display());
    }
}
