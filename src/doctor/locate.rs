//! Where Oracle looks for `sqlnet.ora`, in order. The caller fills [`SearchContext`] from
//! the environment (`TNS_ADMIN`, `ORACLE_BASE_HOME`, `ORACLE_HOME`) or from `--tns-admin`.

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct SearchContext {
    /// `--tns-admin DIR`: when given, the only directory searched.
    pub tns_admin_flag: Option<PathBuf>,
    /// The `TNS_ADMIN` environment variable.
    pub tns_admin_env: Option<PathBuf>,
    /// `ORACLE_BASE_HOME` (read-only Oracle homes keep their network/admin there).
    pub oracle_base_home: Option<PathBuf>,
    /// `ORACLE_HOME`; also what `?` stands for in a wallet directory.
    pub oracle_home: Option<PathBuf>,
    /// System-wide directories searched last (`/etc`, `/var/opt/oracle` on Unix).
    pub global_dirs: Vec<PathBuf>,
}

/// A directory searched for sqlnet.ora and why.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub dir: PathBuf,
    pub why: &'static str,
    pub has_sqlnet_ora: bool,
}

impl SearchContext {
    /// The directories to search, in Oracle's order.
    pub fn candidates(&self) -> Vec<Candidate> {
        let mut list: Vec<(PathBuf, &'static str)> = Vec::new();
        if let Some(dir) = &self.tns_admin_flag {
            list.push((dir.clone(), "--tns-admin"));
        } else {
            if let Some(dir) = &self.tns_admin_env {
                list.push((dir.clone(), "TNS_ADMIN"));
            }
            if let Some(home) = &self.oracle_base_home {
                list.push((network_admin(home), "ORACLE_BASE_HOME/network/admin"));
            }
            if let Some(home) = &self.oracle_home {
                list.push((network_admin(home), "ORACLE_HOME/network/admin"));
            }
            for dir in &self.global_dirs {
                list.push((dir.clone(), "system-wide directory"));
            }
        }
        let mut seen: Vec<PathBuf> = Vec::new();
        list.into_iter()
            .filter(|(dir, _)| {
                let new = !seen.contains(dir);
                seen.push(dir.clone());
                new
            })
            .map(|(dir, why)| Candidate {
                has_sqlnet_ora: dir.join("sqlnet.ora").is_file(),
                dir,
                why,
            })
            .collect()
    }
}

fn network_admin(home: &Path) -> PathBuf {
    home.join("network").join("admin")
}

/// The first searched directory that holds a sqlnet.ora: the one Oracle reads.
pub fn first_with_sqlnet(candidates: &[Candidate]) -> Option<PathBuf> {
    candidates
        .iter()
        .find(|c| c.has_sqlnet_ora)
        .map(|c| c.dir.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_replaces_every_other_place() {
        let ctx = SearchContext {
            tns_admin_flag: Some("/flag".into()),
            tns_admin_env: Some("/env".into()),
            oracle_home: Some("/oh".into()),
            ..Default::default()
        };
        let dirs: Vec<_> = ctx.candidates().into_iter().map(|c| c.dir).collect();
        assert_eq!(dirs, vec![PathBuf::from("/flag")]);
    }

    #[test]
    fn env_then_homes_then_global_without_duplicates() {
        let ctx = SearchContext {
            tns_admin_env: Some("/oh/network/admin".into()),
            oracle_base_home: Some("/obh".into()),
            oracle_home: Some("/oh".into()),
            global_dirs: vec!["/etc".into()],
            ..Default::default()
        };
        let got: Vec<_> = ctx
            .candidates()
            .into_iter()
            .map(|c| (c.dir, c.why))
            .collect();
        assert_eq!(
            got,
            vec![
                (PathBuf::from("/oh/network/admin"), "TNS_ADMIN"),
                (
                    PathBuf::from("/obh/network/admin"),
                    "ORACLE_BASE_HOME/network/admin"
                ),
                (PathBuf::from("/etc"), "system-wide directory"),
            ]
        );
    }
}
