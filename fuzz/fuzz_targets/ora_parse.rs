//! The Oracle Net parameter-file parser is lossless: whatever parses prints back to
//! exactly the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use orakit::net::Document;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = Document::parse(text) {
        assert_eq!(doc.print(), text, "print(parse(x)) != x");
    }
});
