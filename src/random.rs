//! Fresh random bytes from the operating system: salts, IVs, keys of auto-login wallets,
//! certificate serials, temporary-name suffixes. One source below every layer (pbe, pki,
//! wallet and the flows all take theirs from here).

/// `len` fresh random bytes from the operating system's generator. On Linux `getrandom(2)`
/// cannot fail once the kernel's pool is initialised (it blocks until then), so a failure
/// here means the system itself is broken and is not a condition to report per file.
pub fn bytes(len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    getrandom::fill(&mut out).expect("the operating system random generator failed");
    out
}
