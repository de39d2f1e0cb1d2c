use std::process::ExitCode;

fn main() -> ExitCode {
    orakit::cli::main()
}
