use super::*;
use crate::net::edit::Node;
use crate::net::syntax::Group;

fn round_trip(text: &str) -> Document {
    let doc = Document::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(doc.print(), text);
    doc
}

fn error(text: &str) -> SyntaxError {
    match Document::parse(text) {
        Ok(doc) => panic!("parsed: {doc:?}"),
        Err(e) => e,
    }
}

#[test]
fn keeps_every_byte_of_awkward_layouts() {
    let text = "\u{feff}# head\r\na, b.world =\r\n  (DESCRIPTION =\t# why\r\n#col1 comment\r\n    (ADDRESS = (PROTOCOL = TCP)(HOST = h)(PORT = 1521))\r\n)   # after\r\n\r\n  # indented comment\r\nX=1 or 2\r\nY = \"a b\" ,'c'\r\nZ = (A, B)";
    let doc = round_trip(text);
    let names: Vec<Vec<&str>> = doc.parameters().map(|p| p.names()).collect();
    assert_eq!(
        names,
        [vec!["a", "b.world"], vec!["X"], vec!["Y"], vec!["Z"]]
    );
    assert!(doc.find("B.WORLD").is_some());
    assert_eq!(doc.find("x").unwrap().atoms(), ["1", "or", "2"]);
    assert_eq!(doc.find("y").unwrap().atoms(), ["a b", "c"]);
    assert_eq!(doc.find("z").unwrap().list_items(), ["A", "B"]);
}

#[test]
fn an_indented_line_continues_the_parameter_above() {
    let text = "A =\n\n  # note\n  (B = 1)\nC = x\n  y\n";
    let doc = round_trip(text);
    assert_eq!(doc.parameters().count(), 2);
    assert_eq!(doc.find("C").unwrap().atoms(), ["x", "y"]);
    // A parenthesis in column 1 cannot start a parameter: it continues the one above.
    let doc = round_trip("A =\n(B = 1)\n(C = 2)\nD = 3\n");
    assert_eq!(doc.find("A").unwrap().groups().count(), 2);
    assert_eq!(error("A = 1\n)\n").kind, SyntaxErrorKind::StrayCloseParen);
}

#[test]
fn reads_a_descriptor_as_a_tree() {
    let doc = round_trip(
        "orcl = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = h)(PORT = 2484))\n  (SECURITY = (SSL_SERVER_CERT_DN = \"CN=h, O=x\")))\n",
    );
    let p = doc.find("ORCL").unwrap();
    assert_eq!(
        p.group_at(&["description", "address", "port"])
            .and_then(Group::scalar),
        Some("2484".to_owned())
    );
    let dn = p
        .group_at(&["DESCRIPTION", "SECURITY", "SSL_SERVER_CERT_DN"])
        .unwrap();
    assert_eq!(dn.scalar().as_deref(), Some("CN=h, O=x"));
    let Node::Pair { key, value } = &p.tree()[0] else {
        panic!()
    };
    assert_eq!(key, "DESCRIPTION");
    assert_eq!(value.len(), 2);
}

#[test]
fn errors_name_line_and_column() {
    let e = error("A = (B = 1\n");
    assert_eq!(
        (e.line, e.column, e.kind.clone()),
        (1, 5, SyntaxErrorKind::UnclosedParen)
    );
    // A column-1 word while a group is open: the group was never closed.
    let e = error("A =\n  (B =\n    (C = 1)\nD = 2\n");
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(e.kind, SyntaxErrorKind::UnclosedParen);
    let e = error("A = (B = 1))\n");
    assert_eq!(
        (e.line, e.column, e.kind),
        (1, 12, SyntaxErrorKind::StrayCloseParen)
    );
    let e = error("# x\nLISTENER (DESCRIPTION = 1)\n");
    assert_eq!((e.line, e.column), (2, 10));
    assert!(matches!(e.kind, SyntaxErrorKind::MissingEquals { .. }));
    let e = error("A = (ADDRESS = (PROTOCOL TCP)(HOST = h))\n");
    assert_eq!((e.line, e.column), (1, 25));
    assert!(
        e.to_string().contains("expected `=` after `PROTOCOL`"),
        "{e}"
    );
    let e = error("A = 1\nstray text here\n");
    assert_eq!((e.line, e.column), (2, 7));
    let e = error("  indented = 1\n");
    assert_eq!(
        (e.line, e.column, e.kind),
        (1, 3, SyntaxErrorKind::StrayIndented)
    );
    let e = error("A = \"open\nB = 1\n");
    assert_eq!(
        (e.line, e.column, e.kind),
        (1, 5, SyntaxErrorKind::UnterminatedQuote)
    );
    assert_eq!(
        error("A =\nB = 1\n").kind,
        SyntaxErrorKind::MissingValue { name: "A".into() }
    );
    assert_eq!(
        error("A = (B = )\n").kind,
        SyntaxErrorKind::MissingValue { name: "B".into() }
    );
    assert_eq!(error("A = ()\n").kind, SyntaxErrorKind::EmptyGroup);
    assert_eq!(error("A = x (B = 1)\n").kind, SyntaxErrorKind::MixedValue);
    assert_eq!(
        error("A = (B = 1 = 2)\n").kind,
        SyntaxErrorKind::UnexpectedEquals
    );
    assert_eq!(
        error("(A = 1)\n").kind,
        SyntaxErrorKind::ExpectedName { found: "(".into() }
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("A = {}{}\n", "(B = ".repeat(100_000), ")".repeat(100_000));
    let e = error(&deep);
    assert_eq!(e.kind, SyntaxErrorKind::TooDeep { limit: MAX_NESTING });
    let ok = format!(
        "A = {}1{}\n",
        "(B = ".repeat(MAX_NESTING),
        ")".repeat(MAX_NESTING)
    );
    round_trip(&ok);
}

#[test]
fn edits_touch_only_their_own_bytes() {
    let text = "# top\nA, a2 = (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCP)(HOST = h)(PORT = 1521))\n    (CONNECT_DATA = (SID = X))\n  ) # keep\n\nB = 1\n";
    let mut doc = round_trip(text);
    doc.set_nested("a2", &["DESCRIPTION", "ADDRESS", "PORT"], "2484")
        .unwrap();
    doc.set_nested("A", &["DESCRIPTION", "ADDRESS", "PROTOCOL"], "TCPS")
        .unwrap();
    assert_eq!(
        doc.print(),
        text.replace("TCP)", "TCPS)").replace("1521", "2484")
    );
    doc.insert_nested(
        "A",
        &["DESCRIPTION"],
        "(SECURITY = (SSL_SERVER_DN_MATCH = YES))",
    )
    .unwrap();
    assert!(
        doc.print().contains(
            "(CONNECT_DATA = (SID = X))\n    (SECURITY = (SSL_SERVER_DN_MATCH = YES))\n  ) # keep\n"
        ),
        "{}",
        doc.print()
    );
    doc.remove_nested("A", &["DESCRIPTION", "SECURITY"])
        .unwrap();
    assert_eq!(
        doc.print(),
        text.replace("TCP)", "TCPS)").replace("1521", "2484")
    );
    doc.set_value("b", "(X, Y)").unwrap();
    assert!(doc.print().ends_with("\n\nB = (X, Y)\n"));
    assert_eq!(doc.remove("B"), 1);
    assert!(doc.print().ends_with("# keep\n\n"));
}

#[test]
fn upsert_keeps_the_file_names_and_line_breaks() {
    let text = "orcl, orcl.world = (DESCRIPTION = (ADDRESS = (PROTOCOL = TCP)(HOST = a)(PORT = 1)))\r\nOTHER = 1\r\n";
    let mut doc = round_trip(text);
    let done = doc
        .upsert_text("# c\nORCL =\n  (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = b)(PORT = 2)))\n\nNEW = 2\n")
        .unwrap();
    assert_eq!(done.len(), 2);
    assert_eq!(
        doc.print(),
        "orcl, orcl.world =\r\n  (DESCRIPTION = (ADDRESS = (PROTOCOL = TCPS)(HOST = b)(PORT = 2)))\r\nOTHER = 1\r\n\r\nNEW = 2\r\n"
    );
    // A file without a final newline gets one before the appended entry.
    let mut doc = round_trip("A = 1");
    doc.upsert_text("B = 2\n").unwrap();
    assert_eq!(doc.print(), "A = 1\n\nB = 2\n");
    // Appended parameters keep the snippet's grouping; its comments are not copied.
    let mut doc = round_trip("X = 0\n");
    doc.upsert_text("# generated\nA = 1\nB = 2\n\nC = 3\n")
        .unwrap();
    assert_eq!(doc.print(), "X = 0\n\nA = 1\nB = 2\n\nC = 3\n");
}

#[test]
fn every_error_says_something() {
    let kinds = [
        SyntaxErrorKind::ExpectedName { found: "(".into() },
        SyntaxErrorKind::MissingEquals { name: "A".into() },
        SyntaxErrorKind::MissingValue { name: "A".into() },
        SyntaxErrorKind::UnclosedParen,
        SyntaxErrorKind::StrayCloseParen,
        SyntaxErrorKind::UnterminatedQuote,
        SyntaxErrorKind::UnexpectedEquals,
        SyntaxErrorKind::MissingKeyword,
        SyntaxErrorKind::ListHoldsGroup,
        SyntaxErrorKind::MixedValue,
        SyntaxErrorKind::EmptyGroup,
        SyntaxErrorKind::TooDeep { limit: MAX_NESTING },
        SyntaxErrorKind::StrayIndented,
    ];
    for kind in kinds {
        let e = SyntaxError::at("A\nB", 2, kind);
        assert!(
            e.to_string().starts_with("2:1: ") && e.to_string().len() > 15,
            "{e}"
        );
    }
}
