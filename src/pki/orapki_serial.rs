//! Serial numbers as orapki reads them (`-serial_num`, `-serial_file`).
//!
//! orapki's rule for a typed serial: colons are dropped; `0x...` is hexadecimal; a value
//! with any letter a-f is hexadecimal too; anything else is decimal. A serial file holds
//! the *last* serial used, in that notation, on its first line; `cert create` signs with
//! that number plus one and writes the number it used back, in decimal, without a newline
//! (observed with orapki 23ai and 19c: a file holding `1234` gives serial 1235 and then
//! holds `1235`). This is not OpenSSL's serial file (hexadecimal, the *next* serial):
//! see [`super::serial`] for that one.

use x509_cert::serial_number::SerialNumber;

use super::decimal::{from_decimal, to_decimal};
use super::error::{Error, Result};

/// The big-endian bytes (no leading zeros) of a serial typed as orapki takes it.
pub fn parse_orapki_serial(text: &str) -> Result<Vec<u8>> {
    let bad = || {
        Error::InvalidSerial(format!(
            "{text:?} is not a serial number: give decimal digits (4660) or hexadecimal (0x1234, 12:34, 12ab)"
        ))
    };
    let digits = text.replace(':', "");
    let hex_digits = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(rest.to_owned())
    } else if digits
        .bytes()
        .any(|b| matches!(b, b'a'..=b'f' | b'A'..=b'F'))
    {
        Some(digits.clone())
    } else {
        None
    };
    let mut bytes = match hex_digits {
        Some(h) if !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            let padded = if h.len() % 2 == 1 { format!("0{h}") } else { h };
            hex::decode(padded).map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
        None => from_decimal(&digits).ok_or_else(bad)?,
    };
    let leading = bytes
        .iter()
        .take_while(|b| **b == 0)
        .count()
        .min(bytes.len() - 1);
    bytes.drain(..leading);
    Ok(bytes)
}

/// A certificate serial from big-endian unsigned bytes (a zero byte is put in front when
/// the top bit is set, so the DER INTEGER stays positive).
pub fn serial_from_bytes(bytes: &[u8]) -> Result<SerialNumber> {
    let mut der = bytes.to_vec();
    if der.is_empty() {
        der.push(0);
    }
    if der[0] & 0x80 != 0 {
        der.insert(0, 0);
    }
    if der.len() > 20 {
        return Err(Error::InvalidSerial(
            "the serial is longer than the 20 bytes RFC 5280 allows".into(),
        ));
    }
    SerialNumber::new(&der).map_err(|e| Error::InvalidSerial(format!("{e}")))
}

/// Given the text of an orapki serial file, the serial to sign with (the file's number
/// plus one) and the text to write back once the certificate is written.
pub fn next_from_orapki_serial_file(content: &str) -> Result<(SerialNumber, String)> {
    let first = content.lines().next().unwrap_or("");
    if first.trim().is_empty() {
        return Err(Error::InvalidSerial(
            "the serial file is empty; put the last serial used in it (0 to start at 1)".into(),
        ));
    }
    let mut bytes = parse_orapki_serial(first)?;
    // Plus one, big-endian.
    let mut carry = true;
    for b in bytes.iter_mut().rev() {
        let (next, over) = b.overflowing_add(1);
        *b = next;
        carry = over;
        if !over {
            break;
        }
    }
    if carry {
        bytes.insert(0, 1);
    }
    let serial = serial_from_bytes(&bytes)?;
    Ok((serial, to_decimal(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_serials_follow_orapkis_rule() {
        assert_eq!(parse_orapki_serial("4660").unwrap(), vec![0x12, 0x34]);
        assert_eq!(parse_orapki_serial("0x10").unwrap(), vec![0x10]);
        assert_eq!(parse_orapki_serial("12:ab").unwrap(), vec![0x12, 0xab]);
        assert_eq!(parse_orapki_serial("1a").unwrap(), vec![0x1a]);
        assert_eq!(parse_orapki_serial("010").unwrap(), vec![10]);
        assert_eq!(parse_orapki_serial("0").unwrap(), vec![0]);
        assert!(parse_orapki_serial("12g").is_err());
        assert!(parse_orapki_serial("").is_err());
        assert!(parse_orapki_serial("0x").is_err());
    }

    #[test]
    fn a_serial_file_gives_its_number_plus_one_in_decimal() {
        // Observed with orapki 23ai: 1234 -> serial 0x04D3 (1235), file "1235";
        // "0x10" -> serial 0x11, file "17"; "010" -> serial 0x0B, file "11".
        let (serial, text) = next_from_orapki_serial_file("1234").unwrap();
        assert_eq!(serial.as_bytes(), &[0x04, 0xd3]);
        assert_eq!(text, "1235");
        let (serial, text) = next_from_orapki_serial_file("0x10\n").unwrap();
        assert_eq!(serial.as_bytes(), &[0x11]);
        assert_eq!(text, "17");
        let (_, text) = next_from_orapki_serial_file("010").unwrap();
        assert_eq!(text, "11");
        let (serial, text) = next_from_orapki_serial_file("255").unwrap();
        assert_eq!(serial.as_bytes(), &[0x01, 0x00]);
        assert_eq!(text, "256");
        let (serial, _) = next_from_orapki_serial_file("127").unwrap();
        assert_eq!(serial.as_bytes(), &[0x00, 0x80]);
        assert!(next_from_orapki_serial_file("").is_err());
        assert!(next_from_orapki_serial_file("\n12").is_err());
    }
}
