use std::process::ExitCode;

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so println! to a closed pipe (`orakit ... | head -1`) panics.
    // Restore the default every Unix tool has: the process ends quietly.
    #[cfg(unix)]
    // SAFETY: called first in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    no_core_dumps();
    orakit::cli::main()
}

/// orakit holds private keys and passwords in memory for most of its commands: a crash
/// must not write them to a core file, and another process of the same user must not read
/// them through ptrace or /proc/PID/mem. Core files are turned off (soft and hard limit 0,
/// so a child cannot turn them back on) and the process is made non-dumpable. Best effort:
/// a failure leaves the defaults.
fn no_core_dumps() {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: a valid pointer to an initialised rlimit; no memory is shared.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_DUMPABLE takes an integer argument and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}
