//! Issue 15: the options of orapki 23ai's wallet usage and mkstore's usage that the other
//! corpus files leave out, one case each, run by Oracle's tool and by orakit's front end on
//! identical inputs (see dropin.rs for the comparison), then the wallets read back by both.

use crate::dropin::{Item, PWD, Runner, differential, mkstore, orapki, pair, read_back};
use crate::peers::Release;

#[test]
fn the_remaining_options_of_both_usage_texts() {
    let pair = pair();
    let p = format!("-pwd {PWD} -nologo");
    let lines = [
        // add -self_signed with every certificate option.
        format!("wallet create -wallet ss {p}"),
        format!(
            "wallet add -wallet ss -dn CN=ecc.example.com -asym_alg ECC -eccurve p384 -self_signed -valid_from 01/01/2026 -valid_until 12/31/2027 -serial_num 4242 -addext_ski -addext_ku digitalSignature,keyCertSign -addext_basic_cons -pathLen 1 -addext_san DNS:ecc.example.com -sign_alg ecdsasha384 -alias eccroot {p}"
        ),
        format!("wallet display -wallet ss -details {p}"),
        // -cert_validation_mode on add and import.
        format!("wallet create -wallet cv {p}"),
        format!(
            "wallet add -wallet cv -trusted_cert -cert ca.pem -cert_validation_mode non-strict {p}"
        ),
        // A key and its request, removed by -cert_req.
        format!("wallet add -wallet cv -dn CN=req.example.com -keysize 2048 {p}"),
        format!("wallet remove -wallet cv -dn CN=req.example.com -cert_req {p}"),
        // -alias as the selector of export and remove (hits and misses).
        format!("wallet export -wallet cv -alias 'CN=DropIn Root CA' -cert exported.pem {p}"),
        format!("wallet export -wallet cv -alias nosuch -cert x.pem {p}"),
        format!("wallet remove -wallet cv -trusted_cert -alias CN=Nope {p}"),
        format!("wallet add -wallet cv -trusted_cert -cert other-ca.pem {p}"),
        format!("wallet remove -wallet cv -trusted_cert -alias 'CN=DropIn Root CA' {p}"),
        format!("wallet display -wallet cv {p}"),
        // enable_trust_flags -untrust_all.
        format!("wallet create -wallet un {p}"),
        format!("wallet add -wallet un -trusted_cert -cert ca.pem {p}"),
        format!("wallet enable_trust_flags -wallet un -untrust_all {p}"),
    ];
    let mut items: Vec<Item> = lines.iter().map(|l| Item::Run(orapki(l))).collect();
    // mkstore's local auto-login and auto-login-only wallets.
    items.push(Item::Run(mkstore("-wrl lsso -create -nologo", &[PWD, PWD])));
    items.push(Item::Run(mkstore("-wrl lsso -createLSSO -nologo", &[PWD])));
    items.push(Item::Run(mkstore("-wrl alo -createALO -nologo", &[])));
    items.push(Item::Run(mkstore("-wrl alo -list -nologo", &[])));
    differential(&pair, Release::R23ai, &Runner::Orakit, items);
    let ss = read_back(&pair, Release::R23ai, "ss", Some(PWD));
    assert!(ss.contains("Subject:        CN=ecc.example.com"), "{ss}");
    let cv = read_back(&pair, Release::R23ai, "cv", Some(PWD));
    assert!(
        cv.contains("CN=Other Root") && !cv.contains("CN=DropIn Root CA"),
        "{cv}"
    );
    for dir in [&pair.oracle, &pair.orakit] {
        let exported = std::fs::read_to_string(dir.join("exported.pem")).unwrap();
        let ca = std::fs::read_to_string(dir.join("ca.pem")).unwrap();
        assert_eq!(exported.trim(), ca.trim(), "{}", dir.display());
    }
    read_back(&pair, Release::R23ai, "alo", None);
}
