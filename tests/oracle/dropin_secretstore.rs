//! Issue 15: `orapki secretstore ...` (orapki 23ai's mkstore in orapki's option style)
//! through the drop-in front end against Oracle's orapki 23ai. Every sequence runs once with
//! Oracle's orapki and once with `orakit orapki ...` on identical inputs (dropin.rs's
//! `differential`: exit code and masked stdout + stderr per step); then the wallets are read
//! back by both tools, and the values the test chose are read by Oracle's mkstore from the
//! wallet orakit wrote.

use std::path::Path;

use crate::dropin::{Item, PWD, Pair, Runner, differential, mask, orapki, pair, read_back, typed};
use crate::peers::Release;

const WRONG: &str = "Wrong2026pwd#xyz";

/// `orapki secretstore VERB -wallet ss ... -pwd PWD -nologo`.
fn ss(line: &str) -> String {
    format!("secretstore {line} -pwd {PWD} -nologo")
}

fn run<'a>(line: &'a str) -> Item<'a> {
    Item::Run(orapki(line))
}

/// What Oracle's mkstore 23ai reads for `alias` in the wallet orakit wrote.
fn mkstore_view(pair: &Pair, wallet: &str, alias: &str) -> String {
    let seen = Runner::Oracle(Release::R23ai).run(
        &pair.orakit,
        "mkstore",
        &["-wrl", wallet, "-viewEntry", alias, "-nologo"],
        &format!("{PWD}\n"),
    );
    assert_eq!(seen.code, 0, "{}", seen.text);
    seen.text
}

/// Both wallets listed "unsorted" by Oracle's orapki and by the front end: each wallet
/// reads the same to both tools (the order is that of orapki's hash table over the file's
/// entries). Returns Oracle's listing of orakit's wallet.
fn unsorted_reads_alike(pair: &Pair, wallet: &str) -> String {
    let args = [
        "secretstore",
        "list_entries_unsorted",
        "-wallet",
        wallet,
        "-pwd",
        PWD,
        "-nologo",
    ];
    let mut oracle_of_orakit = String::new();
    for dir in [&pair.oracle, &pair.orakit] {
        let theirs = Runner::Oracle(Release::R23ai).run(dir, "orapki", &args, "");
        let ours = Runner::Orakit.run(dir, "orapki", &args, "");
        assert_eq!(
            (theirs.code, mask(&theirs.text)),
            (ours.code, mask(&ours.text)),
            "list_entries_unsorted of {} reads differently",
            dir.join(wallet).display()
        );
        oracle_of_orakit = theirs.text;
    }
    oracle_of_orakit
}

#[test]
fn secretstore_entry_life_cycle() {
    let pair = pair();
    std::fs::create_dir(pair.oracle.join("empty")).unwrap();
    std::fs::create_dir(pair.orakit.join("empty")).unwrap();
    let create = format!("wallet create -wallet ss -auto_login -pwd {PWD} -nologo");
    let entries: Vec<String> = [
        "create_entry -wallet ss -alias zeta -secret zeta-value-1",
        "create_entry -wallet ss -alias Alpha -secret Alpha-value-2",
        "create_entry -wallet ss -alias alpha_2 -secret alpha2-value",
        "create_entry -wallet ss -alias db-link -secret dbl1nk",
        "create_entry -wallet ss -alias 9lives -secret n1ne",
        "create_entry -wallet ss -alias app.secret -secret s3cr3t",
        "create_entry -wallet ss -alias app.Secret -secret S3CR3T",
        // An entry that exists: PKI-03001, whatever the value.
        "create_entry -wallet ss -alias zeta -secret zeta-value-1",
        "list_entries -wallet ss",
        "view_entry -wallet ss -alias Alpha",
        "modify_entry -wallet ss -alias Alpha -secret Alpha-value-3",
        "view_entry -wallet ss -alias Alpha",
        // Missing entries: PKI-03002 for modify and view, orapki's own line for delete.
        "modify_entry -wallet ss -alias nosuch -secret x",
        "view_entry -wallet ss -alias nosuch",
        "delete_entry -wallet ss -alias nosuch",
        // No -alias: orapki's NullPointerException text.
        "view_entry -wallet ss",
        "create_entry -wallet ss -secret orphan",
        "delete_entry -wallet ss -alias 9lives",
        "list_entries -wallet ss",
    ]
    .iter()
    .map(|l| ss(l))
    .collect();
    // Option order as orapki allows, -nologo first, -pwd first.
    let reordered = format!("secretstore -nologo view_entry -alias zeta -pwd {PWD} -wallet ss");
    let pwd_first = format!("secretstore list_entries -pwd {PWD} -wallet ss -nologo");
    let wrong = format!("secretstore list_entries -wallet ss -pwd {WRONG} -nologo");
    let short = "secretstore list_entries -wallet ss -pwd short -nologo".to_string();
    let under16 = "secretstore list_entries -wallet ss -pwd Wrong12345 -nologo".to_string();
    let no_dir = ss("create_entry -wallet missing -alias a -secret b");
    let no_p12 = ss("create_entry -wallet empty -alias a -secret b");
    let retried = ss("create_entry -wallet ss -alias retried");
    let last_list = ss("list_entries -wallet ss");
    let mut items = vec![run(&create)];
    items.extend(entries.iter().map(|l| run(l)));
    items.extend([
        run(&reordered),
        run(&pwd_first),
        run(&wrong),
        run(&short),
        run(&under16),
        run(&no_dir),
        run(&no_p12),
        run("secretstore view_entry -alias zeta -nologo"),
        // Secrets left off the line: asked twice before the wallet password, and asked
        // again while the two answers differ.
        Item::Run(typed(
            orapki("secretstore create_entry -wallet ss -alias prompted -nologo"),
            &["pr0mpted-1", "pr0mpted-1", PWD],
        )),
        Item::Run(typed(
            orapki(&retried),
            &["first-try", "typo", "second-try", "second-try"],
        )),
        Item::Run(typed(
            orapki("secretstore modify_entry -wallet ss -alias prompted -nologo"),
            &["pr0mpted-2", "pr0mpted-2", PWD],
        )),
        // The wallet password asked, and a wrong one.
        Item::Run(typed(
            orapki("secretstore view_entry -wallet ss -alias prompted -nologo"),
            &[PWD],
        )),
        Item::Run(typed(
            orapki("secretstore list_entries -wallet ss -nologo"),
            &[WRONG],
        )),
        run(&last_list),
    ]);
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    read_back(&pair, Release::R23ai, "ss", Some(PWD));
    let listed = unsorted_reads_alike(&pair, "ss");
    for alias in [
        "zeta",
        "Alpha",
        "alpha_2",
        "db-link",
        "app.Secret",
        "prompted",
    ] {
        assert!(listed.lines().any(|l| l == alias), "{alias}: {listed}");
    }
    assert!(!listed.lines().any(|l| l == "9lives"), "{listed}");
    for (alias, value) in [
        ("Alpha", "Alpha-value-3"),
        ("zeta", "zeta-value-1"),
        ("app.Secret", "S3CR3T"),
        ("prompted", "pr0mpted-2"),
        ("retried", "second-try"),
    ] {
        let seen = mkstore_view(&pair, "ss", alias);
        assert!(seen.contains(&format!("{alias} = {value}")), "{seen}");
    }
}

#[test]
fn secretstore_credentials_and_user_credentials() {
    let pair = pair();
    let create = format!("wallet create -wallet cs -auto_login -pwd {PWD} -nologo");
    let lines: Vec<String> = [
        "create_credential -wallet cs -connect_string db1 -username scott -password tiger1x",
        "create_credential -wallet cs -connect_string db2 -username hr -password hrpass22",
        "create_credential -wallet cs -connect_string db3 -username app -password app333",
        // Exists; no -password; no -username; no -connect_string (PKI-01001 and the usage).
        "create_credential -wallet cs -connect_string db1 -username scott -password x",
        "create_credential -wallet cs -connect_string db4 -username nopw",
        "create_credential -wallet cs -connect_string db4 -password x",
        "create_credential -wallet cs -username u -password x",
        "list_credentials -wallet cs",
        "modify_credential -wallet cs -connect_string db1 -username scott2 -password tiger2x",
        "modify_credential -wallet cs -connect_string db1 -password tiger3x",
        "modify_credential -wallet cs -connect_string nodb -username a -password b",
        "delete_credential -wallet cs -connect_string db2",
        "delete_credential -wallet cs -connect_string db2",
        // The default credential.
        "delete_credential -wallet cs -default",
        "modify_credential -wallet cs -default -username d0 -password d0pass",
        "create_credential -wallet cs -default -username dflt -password dfltpw1",
        "create_credential -wallet cs -default -username other -password x",
        "list_credentials -wallet cs",
        "modify_credential -wallet cs -default -username dflt2 -password dfltpw2",
        "list_credentials -wallet cs",
        "list_entries -wallet cs",
        // User credentials (map and key).
        "create_user_credential -wallet cs -map m1 -key k1 -username u1 -password p1pass",
        "create_user_credential -wallet cs -map m1 -key k1 -username u1 -password p1pass",
        "create_user_credential -wallet cs -map m1 -key k2 -username u2",
        "create_user_credential -wallet cs -key k3 -username u3 -password x",
        "create_user_credential -wallet cs -map m1 -username u3 -password x",
        "create_user_credential -wallet cs -map m2 -key nouser -password nouserpw",
        "modify_user_credential -wallet cs -map m1 -key k1 -username u1b -password p1b",
        "modify_user_credential -wallet cs -map m1 -key k9 -username u9 -password p9pass",
        "modify_user_credential -wallet cs -map m1 -key k9 -password p9c",
        "delete_user_credential -wallet cs -map m2 -key nouser",
        "delete_user_credential -wallet cs -map m1 -key nokey",
        "delete_user_credential -wallet cs -map m1",
        "list_entries -wallet cs",
        "view_entry -wallet cs -alias m1@#3#@k1",
        "view_entry -wallet cs -alias m1@#3#@k9",
        "delete_credential -wallet cs -default",
        "list_credentials -wallet cs",
    ]
    .iter()
    .map(|l| ss(l))
    .collect();
    let mut items = vec![run(&create)];
    items.extend(lines.iter().map(|l| run(l)));
    items.extend([
        Item::Run(typed(
            orapki("secretstore list_credentials -wallet cs -nologo"),
            &[PWD],
        )),
        Item::Run(typed(
            orapki("secretstore delete_credential -wallet cs -connect_string db3 -nologo"),
            &[PWD],
        )),
        Item::Run(typed(
            orapki(
                "secretstore create_credential -wallet cs -connect_string db5 -username five -password fivepw -nologo",
            ),
            &[WRONG],
        )),
    ]);
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    read_back(&pair, Release::R23ai, "cs", Some(PWD));
    unsorted_reads_alike(&pair, "cs");
    for (alias, value) in [
        ("oracle.security.client.connect_string1", "db1"),
        ("oracle.security.client.username1", "scott2"),
        // `-password tiger3x` without -username was refused (orapki's NPE text).
        ("oracle.security.client.password1", "tiger2x"),
        (
            "m1@#3#@k1",
            "{pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@u1b@#111#@p1b",
        ),
        // modify without -username stores orapki's placeholder user (observed).
        (
            "m1@#3#@k9",
            "{pwd_cred_type}@#4#@NEVER_EXPIRE@#5#@<no-user>@#111#@p9c",
        ),
    ] {
        let seen = mkstore_view(&pair, "cs", alias);
        assert!(seen.contains(&format!("{alias} = {value}")), "{seen}");
    }
}

#[test]
fn secretstore_usage_answers_a_link_and_19c() {
    let pair = pair();
    let create = format!("wallet create -wallet u -auto_login -pwd {PWD} -nologo");
    let unknown = ss("create_entry -wallet u -alias a -secret b -bogus x");
    let other_verbs_option = ss("list_entries -wallet u -alias x");
    let not_here = ss("create_entry -wallet u -alias a -secret b -auto_login_only");
    let stray = ss("create_entry -wallet u -alias -secret x");
    let items = vec![
        run(&create),
        run("secretstore -nologo"),
        run("secretstore help -nologo"),
        run("secretstore list_entry -wallet u -nologo"),
        run("secretstore create_entry -nologo"),
        run("secretstore create_entry -wallet -nologo"),
        run(&unknown),
        run(&other_verbs_option),
        run(&not_here),
        run(&stray),
    ];
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    // Through a link named orapki, with orakit's banner in place of Oracle's.
    let links = tempfile::tempdir().unwrap();
    let exe = assert_cmd::cargo::cargo_bin("orakit");
    std::os::unix::fs::symlink(&exe, links.path().join("orapki")).unwrap();
    let linked = Runner::Linked(links.path().to_path_buf());
    let on_link =
        format!("secretstore create_entry -wallet u -alias linked -secret l1nked -pwd {PWD}");
    let list = format!("secretstore list_entries -wallet u -pwd {PWD}");
    differential(
        &pair,
        Release::R23ai,
        &linked,
        vec![run(&on_link), run(&list), run("secretstore help")],
    );
    let seen = mkstore_view(&pair, "u", "linked");
    assert!(seen.contains("linked = l1nked"), "{seen}");
    // orapki 19c has no secretstore group: its answer, exit 255.
    let list19 = format!("secretstore list_entries -wallet u -pwd {PWD} -nologo");
    differential(
        &pair,
        Release::R19c,
        &Runner::Orakit19c,
        vec![
            run("secretstore -nologo"),
            run("secretstore help"),
            run(&list19),
        ],
    );
    let answer = Runner::Orakit19c.run(Path::new(&pair.orakit), "orapki", &["secretstore"], "");
    assert_eq!(answer.code, 255, "{}", answer.text);
    assert!(
        answer.text.contains("Invalid command: secretstore"),
        "{}",
        answer.text
    );
}
