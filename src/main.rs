use std::process::ExitCode;

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so println! to a closed pipe (`orakit ... | head -1`) panics.
    // Restore the default every Unix tool has: the process ends quietly.
    #[cfg(unix)]
    // SAFETY: called first in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    orakit::cli::main()
}
