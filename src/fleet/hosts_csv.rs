//! The host list of `tcps issue`: a small CSV file with a header line.
//!
//! ```text
//! host,sans,service,tcps_port,tcp_port
//! db01.example.com,db01;10.0.0.11,ORCLPDB1,2484,1521
//! db02.example.com,,SALES,2484,
//! ```
//!
//! The header names the five columns (in any order, each exactly once). `sans` holds
//! extra subject alternative names separated by `;` (the host itself is always one);
//! an empty `tcps_port` means 2484; an empty `tcp_port` means a TCPS-only listener.
//! Blank lines and lines starting with `#` are ignored. Quoting is not supported: no
//! value of these columns can contain a comma. The whole file is checked before any
//! host is issued, and every problem is reported with its line number.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

use thiserror::Error;

use crate::pki::san::SanEntry;

/// The TCPS port used when the `tcps_port` cell is empty (Oracle's customary one).
pub const DEFAULT_TCPS_PORT: u16 = 2484;

/// The column names the header must hold.
pub const COLUMNS: [&str; 5] = ["host", "sans", "service", "tcps_port", "tcp_port"];

/// One host to issue for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSpec {
    /// The host name or IP address: the certificate's CN and first SAN, the listener's
    /// HOST and the name of the host's output directory.
    pub host: String,
    /// The host itself as a SAN, then the extra SANs from the file (duplicates removed).
    pub sans: Vec<SanEntry>,
    /// The database service clients connect to (for the client `tnsnames.ora` entry).
    pub service: String,
    pub tcps_port: u16,
    /// `None`: the listener gets no plain TCP address.
    pub tcp_port: Option<u16>,
    /// Line of the file the host came from (for messages).
    pub line: usize,
}

/// A problem in the host file, with the line it is on (1-based).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("line {line}: {problem}")]
pub struct CsvError {
    pub line: usize,
    pub problem: String,
}

/// Every problem found in the file (at most [`MAX_REPORTED`]), so one run fixes them all.
#[derive(Debug, Error, PartialEq, Eq)]
pub struct CsvErrors(pub Vec<CsvError>);

/// How many problems are listed before the rest are only counted.
pub const MAX_REPORTED: usize = 20;

impl fmt::Display for CsvErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.iter().take(MAX_REPORTED);
        for (i, e) in shown.enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        if self.0.len() > MAX_REPORTED {
            write!(f, "\n... and {} more problems", self.0.len() - MAX_REPORTED)?;
        }
        Ok(())
    }
}

/// Parses the whole file. Returns every host in file order, or every problem found.
pub fn parse(text: &str) -> Result<Vec<HostSpec>, CsvErrors> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let Some((header_line, header)) = lines.next() else {
        return Err(CsvErrors(vec![CsvError {
            line: 1,
            problem: format!(
                "the file has no header line; start it with `{}`",
                COLUMNS.join(",")
            ),
        }]));
    };
    let order = parse_header(header).map_err(|problem| {
        CsvErrors(vec![CsvError {
            line: header_line,
            problem,
        }])
    })?;

    let mut hosts = Vec::new();
    let mut errors = Vec::new();
    // Output directories are per host; two spellings of one host would share one.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, text) in lines {
        match parse_row(text, &order, line) {
            Ok(spec) => {
                let key = spec.host.to_ascii_lowercase();
                if let Some(first) = seen.get(&key) {
                    errors.push(CsvError {
                        line,
                        problem: format!(
                            "host {} is already listed on line {first}; list each host once",
                            spec.host
                        ),
                    });
                } else {
                    seen.insert(key, line);
                    hosts.push(spec);
                }
            }
            Err(problem) => errors.push(CsvError { line, problem }),
        }
    }
    if !errors.is_empty() {
        return Err(CsvErrors(errors));
    }
    if hosts.is_empty() {
        return Err(CsvErrors(vec![CsvError {
            line: header_line,
            problem: "the file lists no hosts after its header line".into(),
        }]));
    }
    Ok(hosts)
}

/// For each column of the file, which of [`COLUMNS`] it is.
fn parse_header(header: &str) -> Result<Vec<usize>, String> {
    let expected = COLUMNS.join(",");
    let mut order = Vec::new();
    for cell in header.split(',') {
        let name = cell.trim().to_ascii_lowercase();
        let Some(index) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(format!(
                "unknown column {:?} in the header; the columns are {expected}",
                cell.trim()
            ));
        };
        if order.contains(&index) {
            return Err(format!("column {name} appears twice in the header"));
        }
        order.push(index);
    }
    if let Some(missing) = (0..COLUMNS.len()).find(|i| !order.contains(i)) {
        return Err(format!(
            "the header has no {} column; the columns are {expected}",
            COLUMNS[missing]
        ));
    }
    Ok(order)
}

fn parse_row(text: &str, order: &[usize], line: usize) -> Result<HostSpec, String> {
    if text.contains('"') {
        return Err("quotes are not supported: no value here needs them".into());
    }
    let cells: Vec<&str> = text.split(',').map(str::trim).collect();
    if cells.len() != order.len() {
        return Err(format!(
            "{} values, but the header names {} columns",
            cells.len(),
            order.len()
        ));
    }
    let mut by_column = [""; COLUMNS.len()];
    for (cell, &column) in cells.iter().zip(order) {
        by_column[column] = cell;
    }
    let [host, sans, service, tcps_port, tcp_port] = by_column;

    let host = check_host(host)?;
    let mut all_sans = vec![host_san(&host)?];
    for value in sans.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let san = SanEntry::parse(value).map_err(|e| format!("column sans: {e}"))?;
        if !all_sans.contains(&san) {
            all_sans.push(san);
        }
    }
    if service.is_empty() {
        return Err("column service is empty; give the database service name".into());
    }
    check_service(service)?;
    let tcps_port = if tcps_port.is_empty() {
        DEFAULT_TCPS_PORT
    } else {
        parse_port("tcps_port", tcps_port)?
    };
    let tcp_port = if tcp_port.is_empty() {
        None
    } else {
        Some(parse_port("tcp_port", tcp_port)?)
    };
    if tcp_port == Some(tcps_port) {
        return Err(format!(
            "tcp_port and tcps_port are both {tcps_port}; a listener needs two different ports"
        ));
    }
    Ok(HostSpec {
        host,
        sans: all_sans,
        service: service.to_owned(),
        tcps_port,
        tcp_port,
        line,
    })
}

/// The host names a directory, so besides being a DNS name or address it must be a safe
/// file name.
fn check_host(host: &str) -> Result<String, String> {
    if host.is_empty() {
        return Err("column host is empty; give the host name".into());
    }
    if host.starts_with('*') {
        return Err(format!(
            "host {host:?} is a wildcard; give the real host name (wildcards may go in sans)"
        ));
    }
    host_san(host)?;
    if host.eq_ignore_ascii_case(super::layout::SUMMARY) {
        return Err(format!(
            "host {host:?} is the name of the run's summary file; it cannot be a host directory"
        ));
    }
    if host.eq_ignore_ascii_case(super::layout::CLIENT_WALLET) {
        return Err(format!(
            "host {host:?} is the name of the run's client wallet directory; it cannot be a host directory"
        ));
    }
    Ok(host.strip_suffix('.').unwrap_or(host).to_owned())
}

fn host_san(host: &str) -> Result<SanEntry, String> {
    match host.parse::<IpAddr>() {
        Ok(ip) => Ok(SanEntry::Ip(ip)),
        Err(_) => match SanEntry::parse(&format!("DNS:{host}")) {
            Ok(san) => Ok(san),
            Err(e) => Err(format!("column host: {e}")),
        },
    }
}

/// Oracle service names: letters, digits, `_ . $ -`, starting with a letter.
fn check_service(service: &str) -> Result<(), String> {
    let ok = service.starts_with(|c: char| c.is_ascii_alphabetic())
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-$".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "column service: {service:?} is not a service name \
             (letters, digits, '_', '.', '$', '-', starting with a letter)"
        ))
    }
}

fn parse_port(column: &str, value: &str) -> Result<u16, String> {
    match value.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(format!(
            "column {column}: {value:?} is not a port number (1 to 65535)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "host,sans,service,tcps_port,tcp_port\n";

    fn one_error(text: &str) -> CsvError {
        let mut errors = parse(text).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.remove(0)
    }

    #[test]
    fn reads_hosts_sans_and_ports() {
        let text = format!(
            "# fleet\n{HEADER}db01.example.com,db01;10.0.0.11;DNS:db01,ORCLPDB1,2484,1521\n\n\
             10.0.0.12,,SALES,,\n"
        );
        let hosts = parse(&text).unwrap();
        assert_eq!(hosts.len(), 2);
        let first = &hosts[0];
        assert_eq!(first.host, "db01.example.com");
        let sans: Vec<String> = first.sans.iter().map(ToString::to_string).collect();
        assert_eq!(sans, ["DNS:db01.example.com", "DNS:db01", "IP:10.0.0.11"]);
        assert_eq!((first.tcps_port, first.tcp_port), (2484, Some(1521)));
        assert_eq!(first.line, 3);
        assert_eq!(hosts[1].sans[0].to_string(), "IP:10.0.0.12");
        assert_eq!((hosts[1].tcps_port, hosts[1].tcp_port), (2484, None));
    }

    #[test]
    fn columns_may_come_in_any_order() {
        let hosts = parse("service,host,tcp_port,tcps_port,sans\nS1,db1,1521,2484,\n").unwrap();
        assert_eq!(hosts[0].host, "db1");
        assert_eq!(hosts[0].service, "S1");
    }

    #[test]
    fn header_problems_are_named() {
        let e = one_error("host,sans,service,tcps_port,tcp_port,owner\ndb1,,S,2484,\n");
        assert_eq!(e.line, 1);
        assert!(e.problem.contains("unknown column \"owner\""), "{e}");
        let e = one_error("host,sans,service,tcps_port\ndb1,,S,2484\n");
        assert!(e.problem.contains("no tcp_port column"), "{e}");
        let e = one_error("# only a comment\n");
        assert!(e.problem.contains("no header line"), "{e}");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = format!(
            "{HEADER}db1,,S,2484,1521\ndb2,,S,99999,\ndb3,bad name,S,2484,\n\
             db/4,,S,2484,\nDB1,,S,2484,\ndb5,,S,2484\ndb6,,,2484,\ndb7,,S,2484,2484\n"
        );
        let errors = parse(&text).unwrap_err().0;
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9]);
        assert!(errors[0].problem.contains("tcps_port"), "{}", errors[0]);
        assert!(errors[1].problem.contains("sans"), "{}", errors[1]);
        assert!(errors[2].problem.contains("host"), "{}", errors[2]);
        assert!(errors[3].problem.contains("already listed on line 2"));
        assert!(errors[4].problem.contains("4 values"), "{}", errors[4]);
        assert!(errors[5].problem.contains("service is empty"));
        assert!(errors[6].problem.contains("two different ports"));
    }

    #[test]
    fn quotes_and_wildcard_hosts_are_refused() {
        assert!(
            one_error(&format!("{HEADER}\"db1\",,S,2484,\n"))
                .problem
                .contains("quotes")
        );
        assert!(
            one_error(&format!("{HEADER}*.example.com,,S,2484,\n"))
                .problem
                .contains("wildcard")
        );
    }
}
