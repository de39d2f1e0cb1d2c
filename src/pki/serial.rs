//! Certificate serial numbers: random, or from a serial file like `openssl -CAcreateserial`.
//!
//! A serial file holds one serial in hex (`0A1B...`, a newline after it). Each issue
//! reads it, uses the value plus one and writes that value back, as OpenSSL does; a
//! missing file starts from a random serial.

use x509_cert::serial_number::SerialNumber;

use super::error::{Error, Result};

/// A random positive 128-bit serial (the top bit is cleared so the INTEGER stays
/// positive in 16 bytes; the first byte is never zero so the length is always 16).
pub fn random_serial() -> Result<SerialNumber> {
    let mut bytes;
    loop {
        bytes = crate::random::bytes(16);
        bytes[0] &= 0x7f;
        if bytes[0] != 0 {
            break;
        }
    }
    SerialNumber::new(&bytes).map_err(|e| Error::internal("encoding a serial number", e))
}

/// Given the current content of a serial file (`None` when it does not exist yet),
/// returns the serial to use and the new content to write back.
pub fn next_from_serial_file(content: Option<&str>) -> Result<(SerialNumber, String)> {
    let bytes = match content {
        None => random_serial()?.as_bytes().to_vec(),
        Some(text) => increment(parse_hex(text)?)?,
    };
    let serial = SerialNumber::new(&bytes).map_err(|_| {
        Error::InvalidSerial("the next serial would be longer than 20 bytes".into())
    })?;
    Ok((serial, format!("{}\n", hex::encode_upper(&bytes))))
}

/// A serial typed by a user: decimal digits as orapki's `-serial_num` takes them
/// (`4660`), or hexadecimal with a `0x` prefix or colons as `display` prints it
/// (`0x1234`, `12:34`). Returns the big-endian bytes without leading zeros.
pub fn parse_serial(text: &str) -> Result<Vec<u8>> {
    let t = text.trim();
    let bad = || {
        Error::InvalidSerial(format!(
            "{t:?} is not a serial number: give decimal digits (4660) or hexadecimal with 0x or colons (0x1234, 12:34)"
        ))
    };
    let hex_digits = if let Some(rest) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(rest.to_owned())
    } else if t.contains(':') {
        Some(t.replace(':', ""))
    } else {
        None
    };
    let bytes = match hex_digits {
        Some(h) if !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()) => {
            parse_hex(&h).map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
        None if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) => {
            // Decimal to big-endian bytes: multiply by ten and add, byte by byte.
            let mut out: Vec<u8> = vec![0];
            for digit in t.bytes().map(|b| b - b'0') {
                let mut carry = u32::from(digit);
                for b in out.iter_mut().rev() {
                    let v = u32::from(*b) * 10 + carry;
                    *b = (v & 0xff) as u8;
                    carry = v >> 8;
                }
                while carry > 0 {
                    out.insert(0, (carry & 0xff) as u8);
                    carry >>= 8;
                }
            }
            while out.len() > 1 && out[0] == 0 {
                out.remove(0);
            }
            out
        }
        None => return Err(bad()),
    };
    if bytes.len() > 20 || (bytes.len() == 20 && bytes[0] & 0x80 != 0) {
        return Err(Error::InvalidSerial(format!(
            "{t:?} is longer than the 20 bytes RFC 5280 allows"
        )));
    }
    Ok(bytes)
}

fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let digits = text.trim();
    if digits.is_empty() {
        return Err(Error::InvalidSerial(
            "the serial file is empty; delete it to start from a random serial".into(),
        ));
    }
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::InvalidSerial(
            "the serial file must hold one hexadecimal number (like 01A3F2) and nothing else"
                .into(),
        ));
    }
    let padded = if !digits.len().is_multiple_of(2) {
        format!("0{digits}")
    } else {
        digits.to_owned()
    };
    let mut bytes = hex::decode(padded).expect("checked hex digits");
    while bytes.len() > 1 && bytes[0] == 0 {
        bytes.remove(0);
    }
    Ok(bytes)
}

/// Adds one to a big-endian unsigned number, keeping it positive as a DER INTEGER.
fn increment(mut bytes: Vec<u8>) -> Result<Vec<u8>> {
    for b in bytes.iter_mut().rev() {
        let (next, carry) = b.overflowing_add(1);
        *b = next;
        if !carry {
            return check_length(bytes);
        }
    }
    bytes.insert(0, 1);
    check_length(bytes)
}

fn check_length(bytes: Vec<u8>) -> Result<Vec<u8>> {
    // A top bit set needs a leading zero byte in DER; RFC 5280 caps the encoding at 20.
    let encoded = bytes.len() + usize::from(bytes[0] & 0x80 != 0);
    if encoded > 20 {
        return Err(Error::InvalidSerial(
            "the serial file's number is too large (over 20 bytes); start a new serial file".into(),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_serial_file_is_incremented_like_openssl_does() {
        let (serial, next) = next_from_serial_file(Some("0FFF\n")).unwrap();
        assert_eq!(serial.as_bytes(), &[0x10, 0x00]);
        assert_eq!(next, "1000\n");
        let (serial, _) = next_from_serial_file(Some("ff")).unwrap();
        assert_eq!(serial.as_bytes(), &[0x01, 0x00]);
    }

    #[test]
    fn a_missing_file_starts_random_and_garbage_is_refused() {
        let (serial, text) = next_from_serial_file(None).unwrap();
        assert_eq!(serial.as_bytes().len(), 16);
        assert_eq!(text.trim().len(), 32);
        assert!(next_from_serial_file(Some("hello")).is_err());
        assert!(next_from_serial_file(Some("")).is_err());
    }

    #[test]
    fn typed_serials_are_decimal_or_marked_hex() {
        assert_eq!(parse_serial("4660").unwrap(), vec![0x12, 0x34]);
        assert_eq!(parse_serial("0x1234").unwrap(), vec![0x12, 0x34]);
        assert_eq!(parse_serial("12:34").unwrap(), vec![0x12, 0x34]);
        assert_eq!(parse_serial("0").unwrap(), vec![0]);
        assert_eq!(
            parse_serial("716199443524595722168690594659316677556028061690").unwrap(),
            hex::decode("7d737e67d02563f3286b685e9594adc05b1037fa").unwrap()
        );
        assert!(parse_serial("12ab").is_err());
        assert!(parse_serial("").is_err());
    }

    #[test]
    fn random_serials_are_positive_and_sixteen_bytes() {
        for _ in 0..32 {
            let s = random_serial().unwrap();
            assert_eq!(s.as_bytes().len(), 16);
            assert!(s.as_bytes()[0] < 0x80);
        }
    }
}
