//! The exact bytes of DER elements, for the places where re-encoding a decoded value is
//! not good enough: a signature covers the bytes as they were sent, and the `der` crate
//! re-sorts SET OF values when it decodes them.

use super::error::{Error, Result};

/// Total length (tag + length + value) of the DER element at the start of `buf`.
fn element_len(buf: &[u8]) -> Option<usize> {
    let mut pos = 1;
    if *buf.first()? & 0x1f == 0x1f {
        // High tag number form: more tag bytes while bit 8 is set.
        while *buf.get(pos)? & 0x80 != 0 {
            pos += 1;
        }
        pos += 1;
    }
    let first = *buf.get(pos)?;
    pos += 1;
    let len = if first < 0x80 {
        first as usize
    } else {
        let count = (first & 0x7f) as usize;
        // 0x80 is BER's indefinite length, never valid DER.
        if count == 0 || count > 4 {
            return None;
        }
        let mut len = 0usize;
        for _ in 0..count {
            len = (len << 8) | *buf.get(pos)? as usize;
            pos += 1;
        }
        len
    };
    let total = pos.checked_add(len)?;
    (total <= buf.len()).then_some(total)
}

/// The raw elements inside the DER SEQUENCE `der`.
pub fn sequence_elements(der: &[u8]) -> Result<Vec<&[u8]>> {
    let damaged = || Error::Unreadable("the DER data is truncated or damaged".into());
    if der.first() != Some(&0x30) {
        return Err(damaged());
    }
    constructed_elements(der)
}

/// The raw elements inside any constructed DER element (a SEQUENCE, a SET, an explicit
/// or implicit context tag), in the order they are in the bytes.
pub fn constructed_elements(der: &[u8]) -> Result<Vec<&[u8]>> {
    let damaged = || Error::Unreadable("the DER data is truncated or damaged".into());
    if der.first().is_none_or(|t| t & 0x20 == 0) {
        return Err(damaged());
    }
    let total = element_len(der).ok_or_else(damaged)?;
    let header = header_len(der).ok_or_else(damaged)?;
    let mut content = &der[header..total];
    let mut elements = Vec::new();
    while !content.is_empty() {
        let len = element_len(content).ok_or_else(damaged)?;
        elements.push(&content[..len]);
        content = &content[len..];
    }
    Ok(elements)
}

fn header_len(buf: &[u8]) -> Option<usize> {
    let first = *buf.get(1)?;
    Some(if first < 0x80 {
        2
    } else {
        2 + (first & 0x7f) as usize
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_sequence_and_rejects_truncation() {
        // SEQUENCE { INTEGER 5, OCTET STRING 'ab' }
        let der = [0x30, 0x07, 0x02, 0x01, 0x05, 0x04, 0x02, b'a', b'b'];
        let parts = sequence_elements(&der).unwrap();
        assert_eq!(parts, vec![&der[2..5], &der[5..9]]);
        assert!(sequence_elements(&der[..8]).is_err());
    }
}
