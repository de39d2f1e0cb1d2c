//! PKCS#12 reader behind a valid MAC: the input becomes the authenticated safe of a PFX
//! whose MAC the harness computes, so mutations reach the safe, bag and key decoding that
//! a MAC check would otherwise stop at the door.
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::pbe::{self, MacDigest};

const PASSWORD: &[u8] = b"Welcome1#";
const SALT: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
const SHA1_OID: [u8; 7] = [0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A];
const DATA_OID: [u8; 11] = [
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
];

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(body);
    out
}

fn pfx(auth_safe: &[u8]) -> Vec<u8> {
    let mac = pbe::mac(MacDigest::Sha1, PASSWORD, &SALT, 1, auth_safe).expect("sha1 mac");
    let content_info = tlv(
        0x30,
        &[DATA_OID.as_slice(), &tlv(0xA0, &tlv(0x04, auth_safe))].concat(),
    );
    let digest_alg = tlv(0x30, &[SHA1_OID.as_slice(), &[0x05, 0x00]].concat());
    let digest_info = tlv(0x30, &[digest_alg, tlv(0x04, &mac)].concat());
    let mac_data = tlv(
        0x30,
        &[digest_info, tlv(0x04, &SALT), vec![0x02, 0x01, 0x01]].concat(),
    );
    tlv(
        0x30,
        &[vec![0x02, 0x01, 0x03], content_info, mac_data].concat(),
    )
}

fuzz_target!(|data: &[u8]| {
    let _ = orakit::wallet::p12::read(&pfx(data), PASSWORD);
});
