//! Big unsigned numbers (big-endian bytes) as decimal text and back: how orapki prints
//! serial numbers and RSA moduli (Java's `BigInteger.toString()`) and how it keeps a
//! serial file.

/// The decimal digits of a big-endian unsigned number (`[0x12, 0x34]` is `4660`).
pub fn to_decimal(bytes: &[u8]) -> String {
    let mut number: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    if number.is_empty() {
        return "0".to_owned();
    }
    let mut digits = Vec::new();
    while !number.is_empty() {
        // Divide by ten, byte by byte; the remainder is the next digit from the right.
        let mut remainder = 0u32;
        for b in number.iter_mut() {
            let value = (remainder << 8) | u32::from(*b);
            *b = (value / 10) as u8;
            remainder = value % 10;
        }
        digits.push(b'0' + remainder as u8);
        let leading = number.iter().take_while(|b| **b == 0).count();
        number.drain(..leading);
    }
    digits.reverse();
    String::from_utf8(digits).expect("ASCII digits")
}

/// The big-endian bytes (no leading zeros, `[0]` for zero) of decimal digits, or `None`
/// when `text` is not all digits.
pub fn from_decimal(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out: Vec<u8> = vec![0];
    for digit in text.bytes().map(|b| b - b'0') {
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
    let leading = out
        .iter()
        .take_while(|b| **b == 0)
        .count()
        .min(out.len() - 1);
    out.drain(..leading);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_round_trips_as_java_prints_it() {
        assert_eq!(to_decimal(&[]), "0");
        assert_eq!(to_decimal(&[0]), "0");
        assert_eq!(to_decimal(&[0x12, 0x34]), "4660");
        assert_eq!(to_decimal(&[0x00, 0x04, 0xd3]), "1235");
        // orapki 23ai `cert display -complete` printed serialNo = 2339...477 for the
        // certificate whose serial openssl prints as B000992C...A545.
        let hex = hex::decode("b000992cd476df8c51a8e86d800ea545").unwrap();
        assert_eq!(to_decimal(&hex), "233947234018608233969269500187367089477");
        assert_eq!(
            from_decimal("233947234018608233969269500187367089477").unwrap(),
            hex
        );
        assert_eq!(from_decimal("0").unwrap(), vec![0]);
        assert_eq!(from_decimal("4660").unwrap(), vec![0x12, 0x34]);
        assert!(from_decimal("12a").is_none());
        assert!(from_decimal("").is_none());
    }
}
