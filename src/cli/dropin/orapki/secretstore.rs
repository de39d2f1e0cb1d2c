//! `orapki secretstore ...` (orapki 23ai; 19c has no such group): mkstore's work in
//! orapki's option style, translated to the native `orakit wallet secret|credential|
//! user-credential ...` commands and answered in orapki's words.
//!
//! orapki's secretstore exits 0 whatever happened, failures included, and prints its
//! failures on standard output (all observed with 23.26); the front end does the same.

use super::*;
use crate::cli::dropin::java_order;

const USAGE: &str = include_str!("../orapki_secretstore_usage_23ai.txt");

/// The entries orapki keeps the wallet's default credential in (`-default`).
const DEFAULT_USERNAME: &str = "oracle.security.client.default_username";
const DEFAULT_PASSWORD: &str = "oracle.security.client.default_password";

/// orapki's placeholder user of a user credential made without `-username` (observed).
const NO_USER: &str = "<no-user>";

/// Java's NullPointerException texts orapki prints when an option it needs is missing
/// (observed; the local variable numbers are those of orapki 23.26's methods).
fn missing(local: u8) -> Failure {
    Failure(format!(
        "Cannot invoke \"String.toCharArray()\" because \"<local{local}>\" is null"
    ))
}

pub(super) fn run(words: &[&str]) -> u8 {
    if usage::is_19c() {
        // orapki 19c knows no secretstore group (observed with 19.33).
        println!("Invalid command: secretstore");
        print!("{}", usage::orapki_top());
        return ORACLE_FAILED;
    }
    let Some((verb, rest)) = words.split_first() else {
        return usage_answer(None);
    };
    const ENTRY: &[&str] = &["wallet", PWD, "alias"];
    const VALUE: &[&str] = &["wallet", PWD, "alias", "secret"];
    const LIST: &[&str] = &["wallet", PWD];
    const CREDENTIAL: &[&str] = &["wallet", PWD, "connect_string", "username", "password"];
    const USER: &[&str] = &["wallet", PWD, "map", "key", "username", "password"];
    let (valued, switches): (&[&str], &[&str]) = match *verb {
        "create_entry" | "modify_entry" => (VALUE, &[]),
        "delete_entry" | "view_entry" => (ENTRY, &[]),
        "list_entries" | "list_entries_unsorted" | "list_credentials" => (LIST, &[]),
        "create_credential" | "modify_credential" => (CREDENTIAL, &["default"]),
        "delete_credential" => (&["wallet", PWD, "connect_string"], &["default"]),
        "create_user_credential" | "modify_user_credential" => (USER, &[]),
        "delete_user_credential" => (&["wallet", PWD, "map", "key"], &[]),
        // `help`, a misspelt verb or none: the usage, exit 0 (observed).
        _ => return usage_answer(None),
    };
    if rest.is_empty() {
        return usage_answer(None);
    }
    let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
    let opts = match options::parse(&rest, valued, switches) {
        Ok(opts) => opts,
        Err(OptionError::Unknown(word)) => return usage_answer(Some(&word)),
        Err(OptionError::MissingValue(_)) => return usage_answer(None),
    };
    let Some(dir) = opts.value("wallet").map(str::to_string) else {
        // orapki asks for the wallet password before it looks for the wallet (observed).
        if opts.value(PWD).is_none() {
            let _ = prompt::ask(prompt::WALLET_PASSWORD);
        }
        println!("No wallet location specified. ");
        return 0;
    };
    if ["pwd", "secret", "password"]
        .iter()
        .any(|p| opts.value(p).is_some())
    {
        warn_password_on_argv(&format!(
            "orakit wallet secret|credential|user-credential ... --wallet {dir} --password-env VAR --secret-env VAR"
        ));
    }
    let store = Store { opts, dir };
    match store.apply(verb) {
        Ok(true) => println!("{SUCCESS}"),
        Ok(false) => {}
        Err(Failure(text)) => println!("{text}"),
    }
    0
}

/// orapki's usage answer: the offending word first when there is one; exit 0.
fn usage_answer(invalid: Option<&str>) -> u8 {
    if let Some(word) = invalid {
        println!("Invalid command: {word}");
    }
    print!("{USAGE}");
    0
}

struct Store {
    opts: Options,
    dir: String,
}

/// Whether the step changed the wallet (orapki then prints its success line).
type Done = Result<bool, Failure>;

impl Store {
    fn value(&self, name: &str) -> Option<String> {
        self.opts.value(name).map(str::to_string)
    }

    fn apply(&self, verb: &str) -> Done {
        // orapki holds a -pwd to its rule for new passwords, warning included (observed).
        if let Some(p) = self.opts.value(PWD) {
            check_new_password(&Password::new(p.to_string()))?;
        }
        match verb {
            "create_entry" | "modify_entry" => self.entry_value(verb),
            "delete_entry" => self.delete_entry(),
            "view_entry" => self.view_entry(),
            "list_entries" | "list_entries_unsorted" => self.list_entries(verb),
            "create_credential" | "modify_credential" => self.credential_value(verb),
            "delete_credential" => self.delete_credential(),
            "list_credentials" => self.list_credentials(),
            "create_user_credential" | "modify_user_credential" => self.user_credential_value(verb),
            "delete_user_credential" => self.delete_user_credential(),
            _ => unreachable!("every listed verb has a handler"),
        }
    }

    /// The wallet password (`-pwd`, else orapki's prompt; none for an auto-login-only
    /// wallet); orapki asks first and then names a missing wallet (observed).
    fn wallet_password(&self) -> Result<Option<Password>, Failure> {
        let dir = Path::new(&self.dir);
        if !dir.join("ewallet.p12").exists() && dir.join("cwallet.sso").is_file() {
            // An auto-login-only wallet: no prompt, and a -pwd goes unused (observed).
            return Ok(None);
        }
        let password = match self.opts.value(PWD) {
            Some(p) => Some(Password::new(p.to_string())),
            None => prompt::ask(prompt::WALLET_PASSWORD),
        };
        if !dir.is_dir() {
            return Err(Failure(format!(
                "PKI-02006: The specified directory does not exist: {}",
                self.dir
            )));
        }
        if !dir.join("ewallet.p12").is_file() {
            return Err(Failure(format!(
                "{}/ewallet.p12 (No such file or directory)",
                self.dir.trim_end_matches('/')
            )));
        }
        Ok(password)
    }

    /// Runs `orakit wallet SUB --wallet DIR ARGS`, the wallet password and a secret to
    /// store handed over in the environment; a wrong password in orapki's words.
    fn native(
        &self,
        sub: &[&str],
        args: &[String],
        password: Option<&Password>,
        secret: Option<&Password>,
    ) -> Result<NativeRun, (Failure, String)> {
        let run = native::secret_store(&self.dir, sub, args, password, secret);
        if run.ok {
            return Ok(run);
        }
        let text = run.error_text();
        if text.contains("wrong password") {
            return Err((Failure(native::WRONG_PASSWORD.into()), text));
        }
        Err((Failure(text.clone()), text))
    }

    /// A native step whose own failures (not a wrong password) `orapki_text` words.
    fn step(
        &self,
        sub: &[&str],
        args: &[String],
        password: Option<&Password>,
        secret: Option<&Password>,
        orapki_text: impl Fn(&str) -> Option<String>,
    ) -> Result<NativeRun, Failure> {
        self.native(sub, args, password, secret)
            .map_err(|(failure, native)| match orapki_text(&native) {
                Some(text) if failure.0 != native::WRONG_PASSWORD => Failure(text),
                _ => failure,
            })
    }

    fn alias_args(alias: &str) -> Vec<String> {
        vec!["--alias".into(), alias.into()]
    }

    fn entry_value(&self, verb: &str) -> Done {
        let Some(alias) = self.value("alias") else {
            return Err(Failure(
                "Cannot invoke \"Object.hashCode()\" because \"key\" is null".into(),
            ));
        };
        // orapki asks for a missing secret before the wallet password (observed).
        let secret = ask_secret(self.value("secret"))?;
        let password = self.wallet_password()?;
        let (sub, text) = if verb == "create_entry" {
            (
                "create",
                format!("PKI-03001: The entry already exists: {alias}"),
            )
        } else {
            (
                "modify",
                format!("PKI-03002: No entry found for the alias: {alias}"),
            )
        };
        self.step(
            &["secret", sub],
            &Self::alias_args(&alias),
            password.as_ref(),
            Some(&secret),
            |native| {
                (native.contains("already exists") || native.contains("no entry"))
                    .then(|| text.clone())
            },
        )?;
        Ok(true)
    }

    fn delete_entry(&self) -> Done {
        let password = self.wallet_password()?;
        let Some(alias) = self.value("alias") else {
            return Err(Failure("No such alias in secret store".into()));
        };
        self.step(
            &["secret", "delete"],
            &Self::alias_args(&alias),
            password.as_ref(),
            None,
            |native| {
                native
                    .contains("no entry")
                    .then(|| "No such alias in secret store".to_string())
            },
        )?;
        Ok(true)
    }

    fn view_entry(&self) -> Done {
        let password = self.wallet_password()?;
        let Some(alias) = self.value("alias") else {
            return Err(Failure(
                "Cannot invoke \"Object.hashCode()\" because \"key\" is null".into(),
            ));
        };
        let run = self.step(
            &["secret", "view"],
            &Self::alias_args(&alias),
            password.as_ref(),
            None,
            |native| {
                native
                    .contains("no secret-store entry")
                    .then(|| format!("PKI-03002: No entry found for the alias: {alias}"))
            },
        )?;
        print!("{}", run.stdout);
        Ok(false)
    }

    /// The wallet's aliases in its file order (the native listing's order).
    fn aliases(&self, password: Option<&Password>) -> Result<Vec<String>, Failure> {
        let run = self.step(
            &["secret", "list"],
            &["--json".into()],
            password,
            None,
            |_| None,
        )?;
        let report: serde_json::Value =
            serde_json::from_str(&run.stdout).map_err(|e| Failure(e.to_string()))?;
        Ok(report["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["alias"].as_str().map(str::to_string))
            .collect())
    }

    fn list_entries(&self, verb: &str) -> Done {
        let password = self.wallet_password()?;
        let mut aliases = self.aliases(password.as_ref())?;
        if verb == "list_entries" {
            aliases.sort_by(|a, b| java_order::collate(a, b));
        } else {
            aliases = java_order::hashtable_order(&aliases);
        }
        println!("Oracle Secret Store entries: ");
        for alias in aliases {
            println!("{alias}");
        }
        Ok(false)
    }

    fn connect_string(&self) -> Result<Option<String>, Failure> {
        if self.opts.has("default") {
            return Ok(None);
        }
        match self.value("connect_string") {
            Some(cs) => Ok(Some(cs)),
            None => Err(Failure(format!(
                "PKI-01001: Missing arguments in the command: -connect_string\n{}",
                USAGE.strip_suffix('\n').unwrap_or(USAGE)
            ))),
        }
    }

    fn credential_value(&self, verb: &str) -> Done {
        let connect_string = self.connect_string()?;
        let password = self.wallet_password()?;
        // orapki reads -username first, then -password (observed: no prompt for either).
        let Some(username) = self.value("username") else {
            return Err(missing(4));
        };
        let Some(secret) = self.value("password").map(Password::new) else {
            return Err(missing(5));
        };
        let create = verb == "create_credential";
        let Some(cs) = connect_string else {
            return self.default_credential(create, &username, &secret, password.as_ref());
        };
        let args = vec!["--connect-string".into(), cs, "--username".into(), username];
        let (sub, text) = if create {
            ("add", "Credential already exists")
        } else {
            ("modify", "Credential does not exists")
        };
        self.step(
            &["credential", sub],
            &args,
            password.as_ref(),
            Some(&secret),
            |native| {
                (native.contains("already exists") || native.contains("no credential"))
                    .then(|| text.to_string())
            },
        )?;
        Ok(true)
    }

    /// `-default`: the wallet's default credential, two secret-store entries.
    fn default_credential(
        &self,
        create: bool,
        username: &str,
        secret: &Password,
        password: Option<&Password>,
    ) -> Done {
        let held = self
            .aliases(password)?
            .iter()
            .any(|a| a == DEFAULT_USERNAME);
        if create && held {
            return Err(Failure("Default credentials already exist".into()));
        }
        if !create && !held {
            return Err(Failure("Default credentials do not exist".into()));
        }
        let sub = if create { "create" } else { "modify" };
        let user = Password::new(username.to_string());
        for (alias, value) in [(DEFAULT_USERNAME, &user), (DEFAULT_PASSWORD, secret)] {
            self.step(
                &["secret", sub],
                &Self::alias_args(alias),
                password,
                Some(value),
                |_| None,
            )?;
        }
        Ok(true)
    }

    fn delete_credential(&self) -> Done {
        let connect_string = self.connect_string()?;
        let password = self.wallet_password()?;
        let Some(cs) = connect_string else {
            let held = self
                .aliases(password.as_ref())?
                .iter()
                .any(|a| a == DEFAULT_USERNAME);
            if !held {
                return Err(Failure("Default credentials do not exist".into()));
            }
            for alias in [DEFAULT_USERNAME, DEFAULT_PASSWORD] {
                self.step(
                    &["secret", "delete"],
                    &Self::alias_args(alias),
                    password.as_ref(),
                    None,
                    |_| None,
                )?;
            }
            return Ok(true);
        };
        self.step(
            &["credential", "delete"],
            &["--connect-string".into(), cs],
            password.as_ref(),
            None,
            |native| {
                native
                    .contains("no credential")
                    .then(|| "Credential does not exists".to_string())
            },
        )?;
        Ok(true)
    }

    fn list_credentials(&self) -> Done {
        let password = self.wallet_password()?;
        let run = self.step(
            &["credential", "list"],
            &[],
            password.as_ref(),
            None,
            |_| None,
        )?;
        // orapki lists the credentials last index first (observed), as mkstore does.
        let mut lines = run.stdout.lines();
        if let Some(header) = lines.next() {
            println!("{header}");
        }
        for line in lines.rev() {
            println!("{line}");
        }
        if self
            .aliases(password.as_ref())?
            .iter()
            .any(|a| a == DEFAULT_USERNAME)
        {
            let view = self.step(
                &["secret", "view"],
                &Self::alias_args(DEFAULT_USERNAME),
                password.as_ref(),
                None,
                |_| None,
            )?;
            let user = view.stdout.trim_end_matches('\n');
            let user = user
                .split_once(" = ")
                .map_or(user, |(_, value)| value)
                .to_string();
            println!("Default credential:  {user}");
        }
        Ok(false)
    }

    /// `-map` and `-key`, or orapki's PKI-03008 / PKI-03009 (observed: map first).
    fn map_key(&self) -> Result<(String, String), Failure> {
        let Some(map) = self.value("map") else {
            return Err(Failure(
                "PKI-03008: The specified credential map name is invalid".into(),
            ));
        };
        let Some(key) = self.value("key") else {
            return Err(Failure(
                "PKI-03009: The specified credential key name is invalid".into(),
            ));
        };
        Ok((map, key))
    }

    fn map_key_args(map: &str, key: &str) -> Vec<String> {
        vec!["--map".into(), map.into(), "--key".into(), key.into()]
    }

    fn user_credential_value(&self, verb: &str) -> Done {
        let password = self.wallet_password()?;
        let (map, key) = self.map_key()?;
        let Some(secret) = self.value("password").map(Password::new) else {
            return Err(missing(6));
        };
        let exists = format!("PKI-03006: An entry already exists for map {map} and key {key}");
        // Without -username orapki stores its placeholder, on modify too (observed).
        let mut args = Self::map_key_args(&map, &key);
        args.extend([
            "--user".into(),
            self.value("username").unwrap_or_else(|| NO_USER.into()),
        ]);
        if verb == "create_user_credential" {
            self.step(
                &["user-credential", "add"],
                &args,
                password.as_ref(),
                Some(&secret),
                |native| native.contains("already exists").then(|| exists.clone()),
            )?;
            return Ok(true);
        }
        // orapki's modify creates a missing entry (observed), as mkstore 23ai does.
        let modified = self.native(
            &["user-credential", "modify"],
            &args,
            password.as_ref(),
            Some(&secret),
        );
        match modified {
            Ok(_) => Ok(true),
            Err((_, native)) if native.contains("no user credential") => {
                self.step(
                    &["user-credential", "add"],
                    &args,
                    password.as_ref(),
                    Some(&secret),
                    |_| None,
                )?;
                Ok(true)
            }
            Err((failure, _)) => Err(failure),
        }
    }

    fn delete_user_credential(&self) -> Done {
        let password = self.wallet_password()?;
        let (map, key) = self.map_key()?;
        self.step(
            &["user-credential", "delete"],
            &Self::map_key_args(&map, &key),
            password.as_ref(),
            None,
            |native| {
                native.contains("no user credential").then(|| {
                    format!("PKI-03007: An entry does not exist for map {map} and key {key}")
                })
            },
        )?;
        Ok(true)
    }
}

/// A secret given with `-secret`, else orapki's prompt for it, asked again while the two
/// answers differ (`PKI-03003: Secrets did not match.`, observed: orapki asks until they
/// match). At the end of the input nothing is stored.
fn ask_secret(given: Option<String>) -> Result<Password, Failure> {
    if let Some(s) = given {
        return Ok(Password::new(s));
    }
    println!("Your secret/Password is missing in the command line ");
    loop {
        let first = prompt::ask("Enter your secret/Password:");
        let again = prompt::ask("Re-enter your secret/Password:");
        match (first, again) {
            (Some(first), Some(again)) if first == again => return Ok(first),
            (Some(_), Some(_)) => println!("PKI-03003: Secrets did not match. "),
            _ => return Err(Failure("PKI-03003: Secrets did not match. ".into())),
        }
    }
}
