//! `orakit man --out DIR`: one roff man page per command (`orakit.1`, `orakit-wallet.1`,
//! `orakit-wallet-create.1`, ...), generated from the same clap definitions as `--help`, so
//! the pages can never drift from the binary.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory};

use crate::cli::Cli;
use crate::cli::exit::Outcome;
use crate::fsio::{self, MODE_PUBLIC, Overwrite, PlannedFile};

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory to write the pages into (it must exist), e.g. /usr/local/share/man/man1.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace pages that already exist there.
    #[arg(long, short_alias = 'f')]
    pub force: bool,
}

pub fn run(args: &ManArgs) -> Result<Outcome> {
    let mut root = Cli::command();
    root.build();
    let mut pages = Vec::new();
    collect(&root, "orakit", &args.out, &mut pages)?;
    fsio::write_all_atomic(&pages, Overwrite::from_force(args.force))?;
    eprintln!("wrote {} man pages to {}", pages.len(), args.out.display());
    Ok(Outcome::Success)
}

/// Renders `command` as `<name>.1` and recurses into its subcommands (`help` excluded).
fn collect(
    command: &clap::Command,
    name: &str,
    out: &std::path::Path,
    pages: &mut Vec<PlannedFile>,
) -> Result<()> {
    let page = command.clone().name(name.to_string());
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .with_context(|| format!("cannot render the man page of {name}"))?;
    pages.push(PlannedFile::new(
        out.join(format!("{name}.1")),
        roff,
        MODE_PUBLIC,
    ));
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" || sub.is_hide_set() {
            continue;
        }
        collect(sub, &format!("{name}-{}", sub.get_name()), out, pages)?;
    }
    Ok(())
}
