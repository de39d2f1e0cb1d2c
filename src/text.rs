//! English for messages: counts with the right plural and the right indefinite article, so
//! no message says "1 hosts" or "a RSA key".

/// `count(1, "host")` = "1 host", `count(3, "host")` = "3 hosts"; any integer type (a
/// number of days left may be negative).
pub fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    if n == N::from(1) {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "a" or "an" before `word`, as it is spoken: "an RSA", "an EC", "a P-256", "an ecdsa",
/// "a sha256". Acronyms are read letter by letter, so their first letter's name decides.
pub fn article(word: &str) -> &'static str {
    let first_token: String = word.chars().take_while(|c| c.is_alphanumeric()).collect();
    let Some(first) = first_token.chars().next() else {
        return "a";
    };
    let is_acronym = first_token.len() > 1 && first_token.chars().all(|c| !c.is_lowercase());
    let vowel_sound = if is_acronym || first_token.len() == 1 {
        // Letter names that start with a vowel sound: A E F H I L M N O R S X.
        "AEFHILMNORSXaefhilmnorsx".contains(first)
    } else {
        "AEIOUaeiou".contains(first)
    };
    if vowel_sound { "an" } else { "a" }
}

/// `with_article("RSA 2048")` = "an RSA 2048".
pub fn with_article(word: &str) -> String {
    format!("{} {word}", article(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(count(0, "host"), "0 hosts");
        assert_eq!(count(1, "host"), "1 host");
        assert_eq!(count(2, "host"), "2 hosts");
    }

    #[test]
    fn articles_follow_the_sound() {
        for (word, want) in [
            ("RSA 2048", "an"),
            ("EC P-256", "an"),
            ("ec", "an"),
            ("P-256", "a"),
            ("ecdsa-with-SHA256", "an"),
            ("sha256WithRSAEncryption", "a"),
            ("X.509", "an"),
            ("certificate", "a"),
            ("id-ecPublicKey", "an"),
        ] {
            assert_eq!(article(word), want, "{word}");
        }
    }
}
