//! The Oracle Net file and command-line rows of the bad-input catalogue
//! (`harden_bad_inputs` runs them with the rest).

use std::process::Command;

use crate::harden_bad_inputs::{Case, cmd};
use crate::support::Fixture;
use crate::support::words;

pub(crate) fn net_and_cli_cases(f: &Fixture) -> Vec<Case> {
    let mut c = Vec::new();
    let mut add = |name, cmd: Command, code, expect| {
        c.push(Case {
            name,
            cmd,
            code,
            expect,
        })
    };
    // --- Oracle Net files
    f.write(
        "unbalanced.ora",
        "A = (DESCRIPTION = (ADDRESS = (HOST = h)\n",
    );
    add(
        "ora: unbalanced parentheses",
        cmd(
            f,
            &words("net tnsnames --alias X --host h --service s --update unbalanced.ora"),
        ),
        1,
        &["unbalanced.ora:"],
    );
    f.write("latin1.ora", b"# caf\xe9\nA = (B = C)\n");
    add(
        "ora: not UTF-8",
        cmd(
            f,
            &words("net tnsnames --alias X --host h --service s --update latin1.ora"),
        ),
        1,
        &["latin1.ora", "UTF-8"],
    );
    f.write("stray.ora", "A = (B = C))\n");
    add(
        "ora: stray closing parenthesis",
        cmd(
            f,
            &words("net tnsnames --alias X --host h --service s --update stray.ora"),
        ),
        1,
        &["stray.ora:1"],
    );
    f.write("noeq.ora", "A (B = C)\n");
    add(
        "ora: parameter without '='",
        cmd(
            f,
            &words("net tnsnames --alias X --host h --service s --update noeq.ora"),
        ),
        1,
        &["noeq.ora:1"],
    );
    add(
        "ora: --update of a directory",
        cmd(
            f,
            &words("net tnsnames --alias X --host h --service s --update ."),
        ),
        1,
        &["not a file"],
    );

    // --- command-line arguments (usage errors: exit 2)
    add(
        "CLI: unknown key type",
        cmd(f, &words("key generate --key-type rsa1024 --out k.pem")),
        2,
        &["rsa1024"],
    );
    add(
        "CLI: port out of range",
        cmd(
            f,
            &words("net tnsnames --alias X --host h --service s --port 70000"),
        ),
        2,
        &["70000"],
    );
    add(
        "CLI: --service and --sid together",
        cmd(
            f,
            &words("net tnsnames --alias X --host h --service s --sid S"),
        ),
        2,
        &["--sid"],
    );
    add(
        "CLI: --days not a number",
        cmd(
            f,
            &words("ca init --subject CN=x --key ec.key --out x.pem --days ten"),
        ),
        2,
        &["ten"],
    );
    add(
        "CLI: --password-file and --password-env together",
        cmd(
            f,
            &words("key generate --encrypt --password-file pw --password-env X --out k.pem"),
        ),
        2,
        &["--password-env"],
    );
    add(
        "CLI: missing required --out",
        cmd(f, &words("key generate")),
        2,
        &["--out"],
    );
    add(
        "CLI: --san that is neither DNS name nor IP",
        cmd(
            f,
            &words("csr create --subject CN=x --key ec.key --out s.csr --san IP:999.1.1.1"),
        ),
        1,
        &["999.1.1.1"],
    );
    add(
        "CLI: password file missing",
        cmd(
            f,
            &words("key generate --encrypt --password-file nope-pw --out k.pem"),
        ),
        1,
        &["nope-pw"],
    );
    c
}
