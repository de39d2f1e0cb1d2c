//! Distinguished names: parsing what Oracle users type, printing what orapki prints.
//!
//! Input syntax (RFC 4514 with the leniency of RFC 2253 readers): most specific first,
//! `CN=host, OU=Sample Department, O=Sample Company, L=NYC, ST=NY, C=US`.
//! - RDNs are separated by `,` (or `;`, as orapki and RFC 2253 allow); spaces around `,`,
//!   `+` and `=` are ignored.
//! - `+` joins attributes into one multi-valued RDN: `CN=a+UID=b`.
//! - Repeated attributes (`OU=A, OU=B`, `DC=example, DC=com`) are kept, in order.
//! - Escapes: `\,` `\+` `\"` `\\` `\<` `\>` `\;` `\=` `\#` `\ ` and `\XX` hex bytes (UTF-8).
//!   A value may also be double-quoted (`O="Acme, Inc."`) or `#`-hex DER.
//! - Types: every keyword `orapki wallet add -dn` accepts (CN, C, L, ST/S, O, OU, STREET,
//!   DC, UID, EMAIL/EMAILADDRESS, SERIALNUMBER, DNQ/DNQUALIFIER, dotted OIDs as `2.5.4.65=x`
//!   or `OID.2.5.4.65=x`), the names orapki prints (TITLE, EMAIL, DNQ), Java's other
//!   X500Principal keywords, which orapki refuses (T, SURNAME, GIVENNAME, INITIALS,
//!   GENERATION, IP), and orakit's older spellings (E, GN, SN, PSEUDONYM, POSTALCODE, ...).
//!
//! The DER order is the reverse of the text (RFC 4514 §2.1): `C=US` becomes the first RDN.
//! Values are encoded as `orapki wallet add -dn` encodes them (observed with both
//! releases): EMAIL and DC as IA5String, everything else as PrintableString, each when
//! every character fits, else UTF8String.
//!
//! [`to_rfc2253`] prints a name exactly as `orapki wallet display` does (both releases):
//! most specific first, comma separated with no spaces, orapki's keywords (CN, L, ST, O,
//! OU, C, STREET, DC, UID, EMAIL, SERIALNUMBER, DNQ, TITLE) and dotted OIDs for the rest.

mod parse;
mod print;

pub use parse::parse_dn;
pub use print::{common_name, orapki_alias, to_rfc2253};

/// How an attribute's value is encoded and how long it may be (X.520 upper bounds).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    /// PrintableString when every character allows it, UTF8String otherwise (orapki, Java).
    Directory,
    /// IA5String (EMAIL, DC).
    Ia5,
    /// A two-letter PrintableString.
    Country,
}

pub(super) struct AttributeType {
    /// The keyword orakit names in messages.
    pub keyword: &'static str,
    /// Other spellings accepted on input (case-insensitive).
    pub aliases: &'static [&'static str],
    pub oid: &'static str,
    /// The keyword `orapki wallet display` prints; `None`: orapki prints the dotted OID.
    pub orapki: Option<&'static str>,
    pub syntax: Syntax,
    pub max_len: Option<usize>,
}

use Syntax::{Country, Directory, Ia5};

pub(super) const ATTRIBUTES: &[AttributeType] = &[
    at(
        "CN",
        &["COMMONNAME"],
        "2.5.4.3",
        Some("CN"),
        Directory,
        Some(64),
    ),
    at(
        "OU",
        &["ORGANIZATIONALUNITNAME"],
        "2.5.4.11",
        Some("OU"),
        Directory,
        Some(64),
    ),
    at(
        "O",
        &["ORGANIZATIONNAME"],
        "2.5.4.10",
        Some("O"),
        Directory,
        Some(64),
    ),
    at(
        "L",
        &["LOCALITYNAME"],
        "2.5.4.7",
        Some("L"),
        Directory,
        Some(128),
    ),
    at(
        "ST",
        &["S", "STATEORPROVINCENAME"],
        "2.5.4.8",
        Some("ST"),
        Directory,
        Some(128),
    ),
    at(
        "C",
        &["COUNTRYNAME"],
        "2.5.4.6",
        Some("C"),
        Country,
        Some(2),
    ),
    at(
        "STREET",
        &["STREETADDRESS", "STREET_ADDR"],
        "2.5.4.9",
        Some("STREET"),
        Directory,
        Some(128),
    ),
    at(
        "DC",
        &["DOMAINCOMPONENT"],
        "0.9.2342.19200300.100.1.25",
        Some("DC"),
        Ia5,
        Some(63),
    ),
    at(
        "UID",
        &["USERID"],
        "0.9.2342.19200300.100.1.1",
        Some("UID"),
        Directory,
        Some(256),
    ),
    at(
        "EMAIL",
        &["E", "EMAILADDRESS"],
        "1.2.840.113549.1.9.1",
        Some("EMAIL"),
        Ia5,
        Some(255),
    ),
    at(
        "SERIALNUMBER",
        &["SERIAL_NUM"],
        "2.5.4.5",
        Some("SERIALNUMBER"),
        Directory,
        Some(64),
    ),
    at(
        "T",
        &["TITLE"],
        "2.5.4.12",
        Some("TITLE"),
        Directory,
        Some(64),
    ),
    at(
        "GIVENNAME",
        &["GN"],
        "2.5.4.42",
        None,
        Directory,
        Some(32768),
    ),
    at("SURNAME", &["SN"], "2.5.4.4", None, Directory, Some(32768)),
    at("INITIALS", &[], "2.5.4.43", None, Directory, Some(32768)),
    at(
        "GENERATION",
        &["GENERATIONQUALIFIER"],
        "2.5.4.44",
        None,
        Directory,
        Some(32768),
    ),
    at(
        "DNQ",
        &["DNQUALIFIER"],
        "2.5.4.46",
        Some("DNQ"),
        Directory,
        None,
    ),
    at("PSEUDONYM", &[], "2.5.4.65", None, Directory, Some(128)),
    at("POSTALCODE", &[], "2.5.4.17", None, Directory, Some(40)),
    // Java's X500Principal keyword for Sun's IP-address attribute, which orapki -dn accepts.
    at("IP", &[], "1.3.6.1.4.1.42.2.11.2.1", None, Directory, None),
];

/// The type `display` prints for an attribute type however it was spelled (`DNQ` for
/// `dnQualifier`, `2.5.4.46` or `OID.2.5.4.46`); `None` for an unknown keyword.
pub fn printed_type(spelling: &str) -> Option<&'static str> {
    let upper = spelling.trim().to_ascii_uppercase();
    let dotted = upper.strip_prefix("OID.").unwrap_or(&upper);
    ATTRIBUTES
        .iter()
        .find(|t| t.keyword == upper || t.aliases.contains(&upper.as_str()) || t.oid == dotted)
        .and_then(|t| t.orapki.or(Some(t.oid)))
}

const fn at(
    keyword: &'static str,
    aliases: &'static [&'static str],
    oid: &'static str,
    orapki: Option<&'static str>,
    syntax: Syntax,
    max_len: Option<usize>,
) -> AttributeType {
    AttributeType {
        keyword,
        aliases,
        oid,
        orapki,
        syntax,
        max_len,
    }
}

pub(super) const KNOWN_TYPES: &str = "CN, OU, O, L, ST, C, STREET, DC, UID, EMAIL, SERIALNUMBER, \
                           T (TITLE), GIVENNAME, SURNAME, INITIALS, GENERATION, DNQ, PSEUDONYM, \
                           POSTALCODE, IP or a dotted OID";

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::name::Name;

    fn der_order_types(name: &Name) -> Vec<String> {
        name.iter_rdn()
            .map(|rdn| {
                rdn.iter()
                    .map(|a| {
                        let oid = a.oid.to_string();
                        ATTRIBUTES
                            .iter()
                            .find(|t| t.oid == oid)
                            .map(|t| t.keyword.to_owned())
                            .unwrap_or(oid)
                    })
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect()
    }

    #[test]
    fn oracle_style_dn_is_stored_least_specific_first() {
        let name = parse_dn("CN=host, OU=Sample Department, O=Sample Company, L=NYC, ST=NY, C=US")
            .unwrap();
        assert_eq!(der_order_types(&name), ["C", "ST", "L", "O", "OU", "CN"]);
        assert_eq!(
            to_rfc2253(&name),
            "CN=host,OU=Sample Department,O=Sample Company,L=NYC,ST=NY,C=US"
        );
    }

    #[test]
    fn repeated_and_multi_valued_attributes_are_kept_in_order() {
        let name = parse_dn("CN=a+UID=b, OU=Unit A, OU=Unit B, DC=example, DC=com").unwrap();
        assert_eq!(to_rfc2253(&name).matches("OU=").count(), 2);
        let printed = to_rfc2253(&name);
        assert!(
            printed.ends_with("OU=Unit A,OU=Unit B,DC=example,DC=com"),
            "{printed}"
        );
        assert_eq!(name.iter_rdn().count(), 5);
        assert_eq!(name.iter_rdn().last().unwrap().len(), 2);
    }

    #[test]
    fn escapes_and_quotes_are_decoded_and_printed_back() {
        let name = parse_dn(r#"CN=db\, primary, O="Entrust, Inc.", OU=caf\C3\A9"#).unwrap();
        assert_eq!(
            to_rfc2253(&name),
            r"CN=db\, primary,O=Entrust\, Inc.,OU=café"
        );
    }

    #[test]
    fn invalid_names_get_a_reason() {
        for (dn, needle) in [
            ("", "empty"),
            ("CN=host, ", "trailing comma"),
            ("CN=host, O", "no '='"),
            ("XX=1", "unknown attribute type"),
            ("CN=", "empty value"),
            ("C=USA", "two-letter"),
            ("CN=a\\", "lone backslash"),
            ("CN=a\\q", "unknown escape"),
            ("/C=US/CN=host", "CN=host, C=US"),
            ("CN=\"open", "closing quote"),
        ] {
            let err = parse_dn(dn).unwrap_err().to_string();
            assert!(err.contains(needle), "{dn:?}: {err}");
        }
    }

    #[test]
    fn long_common_names_are_refused() {
        let long = format!("CN={}", "a".repeat(65));
        let err = parse_dn(&long).unwrap_err().to_string();
        assert!(err.contains("at most 64"), "{err}");
    }

    /// The subject DER `orapki wallet add -dn <dn>` writes (19c and 23ai alike): orapki
    /// reads the DN with Java's X500Principal, prints it, and parses that text with its own
    /// parser, which picks the string type. Observed through `orapki wallet export
    /// -request`; the ring test `tests/oracle/display.rs` checks them again against orapki.
    const ORAPKI_DN_DER: &[(&str, &str)] = &[
        ("EMAIL=a@b", "30143112301006092a864886f70d0109011603614062"),
        (
            "EMAILADDRESS=a@b",
            "30143112301006092a864886f70d0109011603614062",
        ),
        ("DNQ=q", "300c310a3008060355042e130171"),
        ("DNQUALIFIER=q", "300c310a3008060355042e130171"),
        ("SERIALNUMBER=1", "300c310a30080603550405130131"),
        ("STREET=s", "300c310a30080603550409130173"),
        ("DC=d", "30133111300f060a0992268993f22c640119160164"),
        ("UID=u", "30133111300f060a0992268993f22c640101130175"),
        ("S=s", "300c310a30080603550408130173"),
        ("ST=s", "300c310a30080603550408130173"),
        ("OID.2.5.4.65=p", "300c310a30080603550441130170"),
        ("2.5.4.17=1", "300c310a30080603550411130131"),
        ("C=US", "300d310b3009060355040613025553"),
        ("cn=lower", "3010310e300c060355040313056c6f776572"),
        ("CN=x_y", "300e310c300a06035504030c03785f79"),
        ("CN=Zürich", "30123110300e06035504030c075ac3bc72696368"),
        (
            "DC=ex_ample",
            "301a31183016060a0992268993f22c640119160865785f616d706c65",
        ),
        ("DNQ=a_b", "300e310c300a060355042e0c03615f62"),
        ("SERIALNUMBER=a_b", "300e310c300a06035504050c03615f62"),
        (
            "CN=a;O=b",
            "3018310a3008060355040a130162310a30080603550403130161",
        ),
        (
            "CN=multi+OU=mv1+O=mv2,O=org",
            "3036310c300a060355040a13036f72673126300a060355040a13036d7632300a060355040b13036d76\
             31300c060355040313056d756c7469",
        ),
        (
            "CN=host, O=Example Corp, C=US",
            "3033310b300906035504061302555331153013060355040a130c4578616d706c6520436f7270310d30\
             0b06035504031304686f7374",
        ),
        (
            r#"O="Acme, Inc.",CN=y"#,
            "3021310a3008060355040313017931133011060355040a130a41636d652c20496e632e",
        ),
        ("CN=a*b&c", "3010310e300c06035504030c05612a622663"),
        ("CN=a\\,b", "300e310c300a06035504031303612c62"),
        // A hex escape of a printable character still gives a PrintableString.
        ("CN=a\\41b", "300e310c300a06035504031303614162"),
        ("CN=a b ", "300e310c300a06035504031303612062"),
        ("DC=a\\41", "301431123010060a0992268993f22c64011916026141"),
    ];

    /// Keywords orapki refuses (`Malformed attribute type`: its own parser does not know
    /// the names Java prints for them) but orakit reads, with Java's X500Principal DER.
    const JAVA_ONLY_DN_DER: &[(&str, &str)] = &[
        ("T=x", "300c310a3008060355040c130178"),
        ("SURNAME=s", "300c310a30080603550404130173"),
        ("GIVENNAME=g", "300c310a3008060355042a130167"),
        ("INITIALS=i", "300c310a3008060355042b130169"),
        ("GENERATION=g", "300c310a3008060355042c130167"),
        (
            "IP=1.2.3.4",
            "301931173015060a2b060104012a020b02011307312e322e332e34",
        ),
    ];

    #[test]
    fn dns_encode_as_orapki_add_dn_writes_them() {
        for (dn, der_hex) in ORAPKI_DN_DER.iter().chain(JAVA_ONLY_DN_DER) {
            let name = parse_dn(dn).unwrap_or_else(|e| panic!("{dn}: {e}"));
            assert_eq!(
                hex::encode(der::Encode::to_der(&name).unwrap()),
                *der_hex,
                "{dn}"
            );
        }
    }

    /// What `orapki wallet display` (19c and 23ai alike) printed for certificates whose
    /// subjects openssl made with these attributes (written here as orakit input).
    const ORAPKI_PRINTS: &[(&str, &str)] = &[
        ("EMAIL=val5,CN=t5", "EMAIL=val5,CN=t5"),
        ("DNQUALIFIER=val6,CN=t6", "DNQ=val6,CN=t6"),
        ("SERIALNUMBER=val7,CN=t7", "SERIALNUMBER=val7,CN=t7"),
        ("T=val8,CN=t8", "TITLE=val8,CN=t8"),
        ("GN=val9,CN=t9", "2.5.4.42=val9,CN=t9"),
        ("SN=val10,CN=t10", "2.5.4.4=val10,CN=t10"),
        ("INITIALS=val11,CN=t11", "2.5.4.43=val11,CN=t11"),
        ("GENERATIONQUALIFIER=val12,CN=t12", "2.5.4.44=val12,CN=t12"),
        ("PSEUDONYM=val13,CN=t13", "2.5.4.65=val13,CN=t13"),
        ("STREET=val14,CN=t14", "STREET=val14,CN=t14"),
        ("POSTALCODE=val15,CN=t15", "2.5.4.17=val15,CN=t15"),
        ("DC=val16,CN=t16", "DC=val16,CN=t16"),
        ("UID=val17,CN=t17", "UID=val17,CN=t17"),
        ("2.5.4.15=val18,CN=t18", "2.5.4.15=val18,CN=t18"),
        (
            "1.2.840.113549.1.9.2=val19,CN=t19",
            "1.2.840.113549.1.9.2=val19,CN=t19",
        ),
        (
            "ST=val4,L=val3,O=val2,OU=val1,CN=t1",
            "ST=val4,L=val3,O=val2,OU=val1,CN=t1",
        ),
        ("CN=country,C=US", "CN=country,C=US"),
        (
            "DC=x,C=DE,DNQ=q1,SERIALNUMBER=ABC 123,EMAIL=A@B.example,CN=t51",
            "DC=x,C=DE,DNQ=q1,SERIALNUMBER=ABC 123,EMAIL=A@B.example,CN=t51",
        ),
        (r"O=t52,CN=Emailaddress\=x", r"O=t52,CN=Emailaddress\=x"),
        (
            r#"O=x,CN=spec\, a\;b\=c\+d\<e\>f\#g\"h\\i"#,
            r#"O=x,CN=spec\, a\;b\=c\+d\<e\>f\#g\"h\\i"#,
        ),
        (
            r"O=\#hash,CN=\ lead and trail\ ",
            r"O=\#hash,CN=\20lead and trail\20",
        ),
        (r"O=o50,CN=ctrl\01x\7Fy", r"O=o50,CN=ctrl\01x\7fy"),
        ("O=Zürich,CN=café ü", "O=Zürich,CN=café ü"),
        (
            "O=org41,O=mv2+OU=mv1+CN=multi",
            "O=org41,O=mv2+OU=mv1+CN=multi",
        ),
        (
            "DC=com,DC=example,OU=b,OU=a,CN=t45",
            "DC=com,DC=example,OU=b,OU=a,CN=t45",
        ),
    ];

    #[test]
    fn names_print_as_orapki_wallet_display_prints_them() {
        for (dn, printed) in ORAPKI_PRINTS {
            let name = parse_dn(dn).unwrap_or_else(|e| panic!("{dn}: {e}"));
            assert_eq!(to_rfc2253(&name), *printed, "{dn}");
        }
    }

    #[test]
    fn orapki_aliases_use_the_most_specific_cn_or_ou() {
        for (dn, alias) in [
            ("CN=val0,CN=t0", "CN=val0"),
            ("OU=ou47,OU=two", "OU=ou47"),
            ("O=NoCN", "OU=null"),
            ("O=org41,O=mv2+OU=mv1+CN=multi", "CN=multi"),
        ] {
            assert_eq!(orapki_alias(&parse_dn(dn).unwrap()), alias, "{dn}");
        }
    }

    proptest::proptest! {
        /// Whatever characters a value holds, printing and parsing again gives the same name.
        #[test]
        fn printing_then_parsing_gives_the_same_name(
            cn in "[ -~]{1,40}",
            ou in "[ -~éü]{1,30}",
        ) {
            let cn = cn.trim();
            let ou = ou.trim();
            proptest::prop_assume!(!cn.is_empty() && !ou.is_empty());
            let escape = |v: &str| {
                let mut out = String::new();
                for c in v.chars() {
                    if ",+\"\\<>;=#".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            };
            let dn = format!("CN={}, OU={}, OU=second, C=US", escape(cn), escape(ou));
            let name = parse_dn(&dn).unwrap();
            let printed = to_rfc2253(&name);
            let again = parse_dn(&printed).unwrap();
            proptest::prop_assert_eq!(der::Encode::to_der(&name).unwrap(), der::Encode::to_der(&again).unwrap());
            proptest::prop_assert_eq!(common_name(&again).unwrap(), cn);
        }
    }
}
