//! Baselines: the findings a team accepted on the day it adopted boundary-lsp, so that only new
//! findings are reported afterwards (ArchUnit's freezing rules, deptrac's baseline).
//!
//! Pure: entries in, a filter out. The CLI reads and writes the file (`check --baseline`,
//! `check --write-baseline`); the language server calls the same functions with the text it
//! has in memory, so the editor and CI agree on what is baselined.
//!
//! An entry never records a line number: it matches on the rule, the file, the symbol path
//! (the file's module path plus the finding's `symbol`, e.g. `crate::net::Client::connect`)
//! and a hash of the finding's own source text (the text of its range, whitespace-normalised).
//! Inserting lines above a finding, reformatting it, or renaming an unrelated item keeps it
//! baselined; editing the flagged code itself makes it new again.
//!
//! Use from the server (one file at a time, with the text it has):
//! ```text
//! let keys: Vec<Key> = findings.iter().map(|f| Key::of(f, rel_path, &ws_file.module_path, &text)).collect();
//! let shown = baseline::apply(&baseline, BaselineMode::parse(cfg.baseline_mode.as_deref()), findings, &keys);
//! ```
//! (`apply` over a single file's findings never reports stale entries; the CLI's
//! [`partition`] over the whole workspace does.)

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::rule::{Finding, Severity};
use super::syntax::SmolStr;

/// The default file name of `check --write-baseline`.
pub const DEFAULT_FILE: &str = "boundary-baseline.json";

/// The current file format version.
pub const VERSION: u32 = 1;

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub rule: String,
    /// Workspace-relative path with `/` separators.
    pub file: String,
    /// `crate::net::Client::connect`; the module path alone when the finding names no symbol.
    pub symbol: String,
    /// [`text_hash`] of the finding's source text.
    pub hash: String,
}

impl Key {
    /// The key of `finding` in the file `rel_path` (module path `module_path`, full text `text`).
    pub fn of(finding: &Finding, rel_path: &str, module_path: &[SmolStr], text: &str) -> Key {
        let start = usize::from(finding.range.start()).min(text.len());
        let end = usize::from(finding.range.end()).clamp(start, text.len());
        let source = text.get(start..end).unwrap_or("");
        Key {
            rule: finding.rule.to_string(),
            file: rel_path.to_string(),
            symbol: symbol_path(module_path, finding.symbol.as_deref()),
            hash: text_hash(source),
        }
    }
}

/// One baselined finding. `message` is for people reading the file; it is not matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(flatten)]
    pub key: Key,
    #[serde(default)]
    pub message: String,
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// A baseline of these entries, sorted so the file diffs well in review.
    pub fn new(mut findings: Vec<Entry>) -> Baseline {
        findings.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.message.cmp(&b.message)));
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// Parses a baseline file; the error says what is wrong.
    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        let b: Baseline = serde_json::from_str(text).map_err(BaselineError::Invalid)?;
        if b.version != VERSION {
            return Err(BaselineError::Version(b.version));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a baseline always serialises");
        s.push('\n');
        s
    }
}

/// Why a baseline file cannot be used.
#[derive(Debug)]
pub enum BaselineError {
    Invalid(serde_json::Error),
    Version(u32),
}

impl std::fmt::Display for BaselineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaselineError::Invalid(e) => write!(f, "invalid baseline: {e}"),
            BaselineError::Version(v) => write!(
                f,
                "baseline version {v} is not supported (expected {VERSION}); write it again with --write-baseline"
            ),
        }
    }
}

impl std::error::Error for BaselineError {}

/// How the server shows baselined findings (`baseline-mode` in `boundary.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BaselineMode {
    /// Not shown at all (the default).
    #[default]
    Hide,
    /// Shown with severity `hint` (dimmed in most editors, never failing CI).
    Hint,
}

impl BaselineMode {
    /// `None` and unknown values are `Hide` (config validation reports unknown values).
    pub fn parse(s: Option<&str>) -> BaselineMode {
        match s {
            Some("hint") => BaselineMode::Hint,
            _ => BaselineMode::Hide,
        }
    }
}

/// `crate::a::b` + `Client::connect` = `crate::a::b::Client::connect`.
pub fn symbol_path(module_path: &[SmolStr], symbol: Option<&str>) -> String {
    let mut parts: Vec<&str> = module_path.iter().map(SmolStr::as_str).collect();
    if let Some(s) = symbol.filter(|s| !s.is_empty()) {
        parts.push(s);
    }
    parts.join("::")
}

/// A stable (across platforms and releases) 64-bit FNV-1a hash of `source` with runs of
/// whitespace collapsed, as 16 hex digits. Reindenting or rewrapping code keeps the hash.
pub fn text_hash(source: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for (i, word) in source.split_whitespace().enumerate() {
        if i > 0 {
            feed(b' ');
        }
        word.bytes().for_each(&mut feed);
    }
    format!("{h:016x}")
}

/// Which findings a baseline covers, and which of its entries matched nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// Parallel to the keys given: `true` when the finding is baselined.
    pub baselined: Vec<bool>,
    /// Indices into `baseline.findings` of entries no finding matched (fixed or changed code).
    pub stale: Vec<usize>,
}

/// Matches findings (by key) against the baseline. Entries are a multiset: two identical
/// entries cover two identical findings, a third one is new.
pub fn partition(baseline: &Baseline, keys: &[Key]) -> Partition {
    let mut available: HashMap<&Key, Vec<usize>> = HashMap::new();
    for (i, e) in baseline.findings.iter().enumerate().rev() {
        available.entry(&e.key).or_default().push(i);
    }
    let mut used = vec![false; baseline.findings.len()];
    let baselined = keys
        .iter()
        .map(|k| match available.get_mut(k).and_then(Vec::pop) {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        })
        .collect();
    let stale = (0..used.len()).filter(|&i| !used[i]).collect();
    Partition { baselined, stale }
}

/// The findings to show given a baseline: baselined ones dropped (`Hide`) or turned into hints
/// (`Hint`). `keys` is parallel to `findings`.
pub fn apply(
    baseline: &Baseline,
    mode: BaselineMode,
    findings: Vec<Finding>,
    keys: &[Key],
) -> Vec<Finding> {
    let p = partition(baseline, keys);
    findings
        .into_iter()
        .zip(p.baselined)
        .filter_map(|(f, b)| match (b, mode) {
            (false, _) => Some(f),
            (true, BaselineMode::Hide) => None,
            (true, BaselineMode::Hint) => Some(f.severity(Severity::Hint)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::static_mut;
    use crate::analysis::syntax::TextRange;

    fn finding(text: &str, needle: &str, symbol: &str) -> Finding {
        let start = text.find(needle).unwrap() as u32;
        let range = TextRange::new(start.into(), (start + needle.len() as u32).into());
        Finding::new(&static_mut::META, range, "m").symbol(symbol)
    }

    fn mp(p: &[&str]) -> Vec<SmolStr> {
        p.iter().map(SmolStr::new).collect()
    }

    #[test]
    fn key_uses_symbol_path_and_text_not_lines() {
        let a = "static mut X: u8 = 0;\n";
        let b = "\n\n\nfn other() {}\n    static   mut X: u8 = 0;\n";
        let ka = Key::of(
            &finding(a, "static mut X", "X"),
            "src/net.rs",
            &mp(&["crate", "net"]),
            a,
        );
        let kb = Key::of(
            &finding(b, "static   mut X", "X"),
            "src/net.rs",
            &mp(&["crate", "net"]),
            b,
        );
        assert_eq!(ka, kb);
        assert_eq!(ka.symbol, "crate::net::X");
        let kc = Key::of(
            &finding(a, "static mut X", "X"),
            "src/net.rs",
            &mp(&["crate", "io"]),
            a,
        );
        assert_ne!(ka, kc);
        let d = "static mut Y: u8 = 0;\n";
        assert_ne!(
            ka.hash,
            Key::of(
                &finding(d, "static mut Y", "X"),
                "src/net.rs",
                &mp(&["crate", "net"]),
                d
            )
            .hash
        );
    }

    #[test]
    fn symbol_path_without_symbol_is_the_module() {
        assert_eq!(symbol_path(&mp(&["crate", "a"]), None), "crate::a");
        assert_eq!(symbol_path(&mp(&[]), Some("S::f")), "S::f");
    }

    #[test]
    fn hash_is_stable() {
        // Fixed values: a change here invalidates every baseline file users have committed.
        assert_eq!(text_hash(""), "cbf29ce484222325");
        assert_eq!(text_hash("a"), "af63dc4c8601ec8c");
        assert_eq!(text_hash("  a \n\t b "), text_hash("a b"));
    }

    #[test]
    fn partition_is_a_multiset_and_reports_stale() {
        let k = |s: &str| Key {
            rule: "r".into(),
            file: "f".into(),
            symbol: s.into(),
            hash: "h".into(),
        };
        let b = Baseline::new(vec![
            Entry {
                key: k("a"),
                message: String::new(),
            },
            Entry {
                key: k("a"),
                message: String::new(),
            },
            Entry {
                key: k("gone"),
                message: String::new(),
            },
        ]);
        let p = partition(&b, &[k("a"), k("new"), k("a"), k("a")]);
        assert_eq!(p.baselined, vec![true, false, true, false]);
        assert_eq!(
            p.stale
                .iter()
                .map(|&i| b.findings[i].key.symbol.as_str())
                .collect::<Vec<_>>(),
            vec!["gone"]
        );
    }

    #[test]
    fn apply_hides_or_hints() {
        let text = "static mut X: u8 = 0;\nstatic mut Y: u8 = 0;\n";
        let fs = vec![
            finding(text, "static mut X", "X"),
            finding(text, "static mut Y", "Y"),
        ];
        let keys: Vec<Key> = fs
            .iter()
            .map(|f| Key::of(f, "a.rs", &mp(&["crate"]), text))
            .collect();
        let b = Baseline::new(vec![Entry {
            key: keys[0].clone(),
            message: "m".into(),
        }]);
        let hidden = apply(&b, BaselineMode::Hide, fs.clone(), &keys);
        assert_eq!(hidden, vec![fs[1].clone()]);
        let hinted = apply(&b, BaselineMode::parse(Some("hint")), fs.clone(), &keys);
        assert_eq!(
            hinted.iter().map(|f| f.severity).collect::<Vec<_>>(),
            vec![Severity::Hint, Severity::Warning]
        );
    }

    #[test]
    fn json_round_trip_and_errors() {
        let b = Baseline::new(vec![Entry {
            key: Key {
                rule: "r".into(),
                file: "f.rs".into(),
                symbol: "crate::S".into(),
                hash: "00".into(),
            },
            message: "msg".into(),
        }]);
        let text = b.to_json();
        assert!(text.contains("\"symbol\": \"crate::S\""), "{text}");
        assert_eq!(Baseline::from_json(&text).unwrap(), b);
        assert!(Baseline::from_json("{")
            .unwrap_err()
            .to_string()
            .starts_with("invalid baseline"));
        let err = Baseline::from_json(r#"{"version": 9, "findings": []}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("version 9"), "{err}");
    }
}
