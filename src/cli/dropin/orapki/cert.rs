//! `orapki cert create|display|help`: Oracle's command lines run by the native
//! `orakit cert create` / `orakit cert display`, answered in orapki's words.
//!
//! The drop-in keeps orapki's choices where the native command has safer defaults of its
//! own: serial 0 when none is given, and validity from this very second (no clock-skew
//! margin). It refuses where orapki does not check: a request whose signature does not
//! verify (orapki signs it anyway), and MD5 or SHA-1 signatures.

use super::*;
use crate::pki::orapki_serial::parse_orapki_serial;

const USAGE_23AI: &str = include_str!("../orapki_cert_usage_23ai.txt");
const USAGE_19C: &str = include_str!("../orapki_cert_usage_19c.txt");

fn release() -> String {
    std::env::var(RELEASE_ENV).unwrap_or_else(|_| "23ai".to_string())
}

/// orapki's cert usage text (printed with a blank line after it).
fn usage_text() -> String {
    let text = if release() == "19c" {
        USAGE_19C
    } else {
        USAGE_23AI
    };
    format!("{text}\n")
}

fn usage(invalid: Option<&str>) -> u8 {
    if let Some(word) = invalid {
        println!("Invalid command: {word}");
    }
    print!("{}", usage_text());
    ORACLE_FAILED
}

pub(super) fn run(args: &[&str]) -> u8 {
    let (command, rest) = match args {
        [] | ["help", ..] => return usage(None),
        [command, rest @ ..] => (*command, rest),
    };
    let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
    let step = match command {
        "display" => display(&rest),
        "create" => create(&rest),
        other => return usage(Some(other)),
    };
    match step {
        Ok(code) => code,
        Err(Failure(text)) => {
            println!("{text}");
            ORACLE_FAILED
        }
    }
}

/// Parses the options or answers with orapki's usage (unknown word, missing value).
fn parse(rest: &[String], valued: &[&str], switches: &[&str]) -> Result<Options, u8> {
    if rest.is_empty() {
        return Err(usage(None));
    }
    match options::parse(rest, valued, switches) {
        Ok(opts) => Ok(opts),
        Err(OptionError::Unknown(word)) => Err(usage(Some(&word))),
        Err(OptionError::MissingValue(_)) => Err(usage(None)),
    }
}

fn display(rest: &[String]) -> Result<u8, Failure> {
    let opts = match parse(rest, &["cert"], &["summary", "complete", "details"]) {
        Ok(o) => o,
        Err(code) => return Ok(code),
    };
    let Some(file) = opts.value("cert") else {
        // orapki dies on a NullPointerException here (exit 1, nothing on stdout).
        eprintln!("orakit: orapki cert display needs -cert FILE");
        return Ok(1);
    };
    if !Path::new(file).is_file() {
        return Err(Failure(format!("File not found at {file}")));
    }
    let mut argv = vec!["cert".to_string(), "display".into(), file.to_string()];
    if opts.has("complete") {
        argv.push("--complete".into());
        if opts.has("details") {
            argv.extend(["--details".into(), "--target".into(), release()]);
        }
    }
    let run = native::run(&argv, &[]);
    if !run.ok {
        return Err(Failure(format!("Found invalid certificate at {file}")));
    }
    print!("{}", run.stdout);
    Ok(0)
}

const CREATE_VALUED: [&str; 13] = [
    "cert",
    "request",
    "wallet",
    "validity",
    "valid_from",
    "valid_until",
    "issuer_subject_dn",
    "issuer_issuer_dn",
    "issuer_serial_num",
    PWD,
    "serial_file",
    "serial_num",
    "sign_alg",
];

fn create(rest: &[String]) -> Result<u8, Failure> {
    let mut valued = CREATE_VALUED.to_vec();
    valued.push("cert_validation_mode");
    let opts = match parse(rest, &valued, &["summary", "obpwd"]) {
        Ok(o) => o,
        Err(code) => return Ok(code),
    };
    if opts.value(PWD).is_some() {
        warn_password_on_argv(
            "orakit cert create --wallet DIR --request FILE --out FILE --password-env VAR (or --password-file PATH)",
        );
    }
    let out = opts.value("cert").map(str::to_string);
    if let Some(out) = &out
        && Path::new(&out).exists()
    {
        return Err(Failure(
            "PKI-04020: The certificate already exists in the given path  ".into(),
        ));
    }
    let days = match opts.value("validity") {
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n > 182_500 => {
                return Err(Failure(
                    "Validity should not be more than 182500 days.".into(),
                ));
            }
            Ok(n) if n > 0 => Some(n),
            _ => return Err(Failure("Validity must be a positive integer".into())),
        },
        None => None,
    };
    let from = date_option(&opts, "valid_from")?;
    let until = date_option(&opts, "valid_until")?;
    let mut args: Vec<String> = Vec::new();
    match (opts.value("serial_file"), opts.value("serial_num")) {
        (Some(file), _) => {
            check_serial_file(file)?;
            args.extend(["--serial-file".into(), file.into()]);
        }
        (None, Some(num)) => {
            let bytes = parse_orapki_serial(num).map_err(|_| invalid_serial())?;
            args.extend(["--serial".into(), format!("0x{}", hex::encode(bytes))]);
        }
        // orapki's default: serial 0 for every certificate.
        (None, None) => args.extend(["--serial".into(), "0".into()]),
    }
    if let Some(alg) = opts.value("sign_alg") {
        args.extend(["--signature-algorithm".into(), signature_algorithm(alg)?]);
    }
    let Some(out) = out.as_deref() else {
        return Err(Failure(
            "\nError :Unable to save certificate at null\n\nSpecify Ceritificate Path \n".into(),
        ));
    };
    if let Some(mode) = opts.value("cert_validation_mode")
        && mode != "strict"
        && mode != "non-strict"
    {
        return Err(Failure("PKI-04032: Invalid certificate validation mode specified. Only 'strict' and 'non-strict' are allowed.".into()));
    }
    match (days, from, until) {
        (Some(days), None, None) => {
            // orapki: from this second, for `days` whole days.
            let now = time::OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .unwrap_or(time::OffsetDateTime::now_utc());
            let end = now + time::Duration::days(days);
            args.extend([
                "--valid-from".into(),
                rfc3339(now),
                "--valid-until".into(),
                rfc3339(end),
            ]);
        }
        (None, Some(from), Some(until)) => {
            if until < from {
                return Err(Failure(
                    "[-valid_from] date should be less than [-valid_until] date".into(),
                ));
            }
            args.extend([
                "--valid-from".into(),
                rfc3339(from),
                "--valid-until".into(),
                rfc3339(until),
            ]);
        }
        _ => {
            return Err(Failure(
                "Please specify [-validity] alone OR both [-valid_from] and [-valid_until]".into(),
            ));
        }
    }
    // orapki's -issuer_issuer_dn fills the same field as -issuer_subject_dn (observed in
    // its code): both select the signing certificate by its subject.
    if let Some(dn) = opts
        .value("issuer_subject_dn")
        .or(opts.value("issuer_issuer_dn"))
    {
        args.extend(["--issuer-subject".into(), dn.into()]);
    }
    if let Some(num) = opts.value("issuer_serial_num") {
        let bytes = parse_orapki_serial(num).map_err(|_| invalid_serial())?;
        args.extend([
            "--issuer-serial".into(),
            format!("0x{}", hex::encode(bytes)),
        ]);
    }

    let dir = opts.value("wallet").unwrap_or("").to_string();
    if !Path::new(&dir).is_dir() && !Path::new(&dir).is_file() {
        return Err(Failure(format!(
            "PKI-02006: The specified directory does not exist: {dir}"
        )));
    }
    let cx = Cx {
        opts,
        dir: dir.clone(),
        release: release(),
    };
    let request = cx.opts.value("request").unwrap_or("");
    if !Path::new(request).is_file() {
        return Err(Failure(format!(
            "Unable to read certificate request at {request}"
        )));
    }
    let password = match cx.opts.value(PWD) {
        Some(p) => Some(Password::new(p.to_string())),
        // Reading only: orapki opens cwallet.sso without asking when there is one.
        None if cx.sso() => None,
        None if cx.p12() => prompt::ask(prompt::WALLET_PASSWORD),
        None => None,
    };
    let mut argv: Vec<String> = vec![
        "cert".into(),
        "create".into(),
        "--wallet".into(),
        dir.clone(),
        "--request".into(),
        request.into(),
        "--out".into(),
        out.into(),
    ];
    argv.extend(args);
    let run_with = |password: Option<&Password>| {
        let mut argv = argv.clone();
        let mut secrets = Vec::new();
        if let Some(p) = password {
            native::password_flag(&mut argv, "--password-env", WALLET_PW, true);
            secrets.push((WALLET_PW, p));
        }
        native::run(&argv, &secrets)
    };
    let mut run = run_with(password.as_ref());
    if !run.ok && password.is_some() && cx.sso() && run.error_text().contains("wrong password") {
        // orapki opens the auto-login file when -pwd does not open ewallet.p12.
        println!("Found Auto Login (AL) wallet.");
        println!("Option -pwd is not recognized and ignored.");
        run = run_with(None);
    }
    if !run.ok {
        let text = run.error_text();
        if text.contains("no private key with a certificate")
            || text.contains("(orapki: PKI-04007)")
        {
            return Err(Failure(format!(
                "Unable to save certificate at {out}\nPKI-04007: No matching certificate in the wallet "
            )));
        }
        if text.contains("PKI-04028") {
            return Err(Failure(format!(
                "Unable to save certificate at {out}\nPKI-04028: Certificate request cannot be approved as CA , as it is exceeding the pathlen constraint."
            )));
        }
        if text.starts_with("certificate request") && !text.contains("signature") {
            return Err(Failure(format!(
                "Unable to read certificate request at {request}"
            )));
        }
        return Err(cx.failure(&run));
    }
    println!("{SUCCESS}");
    Ok(0)
}

fn invalid_serial() -> Failure {
    Failure("PKI-04022: Invalid value of Serial Number provided.".into())
}

/// orapki reads the serial file while it parses the command line.
fn check_serial_file(file: &str) -> Step {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Failure(format!(
                "PKI-02006: The specified directory does not exist: {file}"
            )));
        }
        Err(e) => return Err(Failure(e.to_string())),
    };
    let first = text.lines().next().unwrap_or("");
    if first.trim().is_empty() {
        return Err(Failure("PKI-04027: Serial file is empty.".into()));
    }
    parse_orapki_serial(first).map_err(|_| invalid_serial())?;
    Ok(())
}

/// `-sign_alg` as the native `--signature-algorithm` (the CA key decides RSA or ECDSA).
fn signature_algorithm(alg: &str) -> Result<String, Failure> {
    let known = [
        "md5",
        "sha1",
        "sha256",
        "sha384",
        "sha512",
        "ecdsasha1",
        "ecdsasha256",
        "ecdsasha384",
        "ecdsasha512",
    ];
    if !known.contains(&alg) {
        return Err(Failure(format!("Unsupported Signature Algorithm - {alg}")));
    }
    let hash = alg.trim_start_matches("ecdsa");
    if hash == "md5" || hash == "sha1" {
        return Err(Failure(format!(
            "orakit: -sign_alg {alg} is not offered: MD5 and SHA-1 signatures are refused by current TLS stacks; use sha256, sha384 or sha512"
        )));
    }
    Ok(hash.to_string())
}

/// `-valid_from` / `-valid_until`: `MM/dd/yyyy` (midnight UTC) or, longer than ten
/// characters, `yyMMdd-HHmmss-z` with a zone (GMT, UTC, GMT+hh:mm), as orapki parses them.
fn date_option(opts: &Options, name: &str) -> Result<Option<time::OffsetDateTime>, Failure> {
    let Some(text) = opts.value(name) else {
        return Ok(None);
    };
    orapki_date(text).map(Some).ok_or_else(|| {
        Failure(format!(
            "Invalid date or date format (should be either [yyMMdd-HHmmss-z] or [mm/dd/yyyy]) for {name}"
        ))
    })
}

fn orapki_date(text: &str) -> Option<time::OffsetDateTime> {
    use time::{Date, Month, OffsetDateTime, Time, UtcOffset};
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if text.len() > 10 {
        let mut parts = text.splitn(3, '-');
        let (day, clock, zone) = (parts.next()?, parts.next()?, parts.next()?);
        if day.len() != 6 || clock.len() != 6 {
            return None;
        }
        let yy = number(&day[..2])? as i32;
        // SimpleDateFormat's two-digit year: within 80 years before and 20 after now.
        let this_year = OffsetDateTime::now_utc().year();
        let mut year = (this_year / 100) * 100 + yy;
        if year > this_year + 20 {
            year -= 100;
        } else if year <= this_year - 80 {
            year += 100;
        }
        let month = Month::try_from(number(&day[2..4])? as u8).ok()?;
        let date = Date::from_calendar_date(year, month, number(&day[4..6])? as u8).ok()?;
        let clock = Time::from_hms(
            number(&clock[..2])? as u8,
            number(&clock[2..4])? as u8,
            number(&clock[4..6])? as u8,
        )
        .ok()?;
        let offset = match zone {
            "GMT" | "UTC" => UtcOffset::UTC,
            z => {
                let rest = z.strip_prefix("GMT")?;
                let sign = match rest.chars().next()? {
                    '+' => 1,
                    '-' => -1,
                    _ => return None,
                };
                let (h, m) = rest[1..].split_once(':')?;
                UtcOffset::from_hms(sign * number(h)? as i8, sign * number(m)? as i8, 0).ok()?
            }
        };
        return Some(date.with_time(clock).assume_offset(offset));
    }
    let mut parts = text.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let month = Month::try_from(number(m)? as u8).ok()?;
    let date = Date::from_calendar_date(number(y)? as i32, month, number(d)? as u8).ok()?;
    Some(date.midnight().assume_utc())
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_orapki_reads_them() {
        let t = orapki_date("270115-101112-GMT").unwrap();
        assert_eq!(rfc3339(t), "2027-01-15T10:11:12Z");
        let t = orapki_date("01/15/2027").unwrap();
        assert_eq!(rfc3339(t), "2027-01-15T00:00:00Z");
        let t = orapki_date("270115-101112-GMT+01:00").unwrap();
        assert_eq!(rfc3339(t), "2027-01-15T09:11:12Z");
        // orapki 23ai refuses a bare `z` zone and impossible dates.
        assert!(orapki_date("270115-101112-z").is_none());
        assert!(orapki_date("02/30/2027").is_none());
        assert!(orapki_date("2027-01-15").is_none());
    }

    #[test]
    fn weak_and_unknown_signature_algorithms_are_refused() {
        assert_eq!(signature_algorithm("ecdsasha384").ok().unwrap(), "sha384");
        assert_eq!(signature_algorithm("sha512").ok().unwrap(), "sha512");
        assert!(signature_algorithm("sha1").is_err());
        assert!(signature_algorithm("sha999").is_err());
    }
}
