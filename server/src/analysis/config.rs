//! `boundary.toml`: parsing and validation, with errors that name the file, line and key.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use toml_edit::{ImDocument, Item, TableLike, Value};

use super::rule::{OptionDefault, RuleMeta, Severity};

pub const CONFIG_FILE: &str = "boundary.toml";

/// A config error: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    /// The offending key (`rules.bool-fields.max-bools`), when there is one.
    pub key: Option<String>,
    pub message: String,
    /// Byte range in the config text.
    pub span: std::ops::Range<usize>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.column)?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A value of a rule option.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Int(i64),
    Bool(bool),
    Str(String),
    StrList(Vec<String>),
}

/// Per-rule settings from `[rules.<id>]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleSettings {
    pub enabled: Option<bool>, // boundary: allow(option-bool) (None: not set in the file, inherit)
    pub severity: Option<Severity>,
    pub check_tests: Option<bool>, // boundary: allow(option-bool) (None: not set, inherit)
    pub options: HashMap<String, OptionValue>,
}

/// A `[[layers]]`, `[[forbid]]` or `[[independent]]` entry, kept for the layer rules: the raw
/// keys with their 1-based line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArchEntry {
    pub line: u32,
    pub name: Option<String>,
    pub modules: Vec<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub reason: Option<String>,
}

/// The whole config. `Config::default()` is what no `boundary.toml` means.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from (`None`: defaults).
    pub path: Option<PathBuf>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    include_set: Option<GlobSet>,
    exclude_set: Option<GlobSet>,
    /// Analyse `#[cfg(test)]` modules and `#[test]` functions too (default: no).
    pub check_tests: bool,
    pub rules: HashMap<String, RuleSettings>,
    pub layers: Vec<ArchEntry>,
    pub forbid: Vec<ArchEntry>,
    pub independent: Vec<ArchEntry>,
    /// A baseline file (relative to the workspace root).
    pub baseline: Option<String>,
    /// `hide` (default) or `hint`.
    pub baseline_mode: Option<String>,
    /// Base URL for rule docs links.
    pub docs_url: Option<String>,
}

impl PartialEq for Config {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
            && self.include == other.include
            && self.exclude == other.exclude
            && self.check_tests == other.check_tests
            && self.rules == other.rules
            && self.layers == other.layers
            && self.forbid == other.forbid
            && self.independent == other.independent
            && self.baseline == other.baseline
            && self.baseline_mode == other.baseline_mode
            && self.docs_url == other.docs_url
    }
}

pub const DEFAULT_DOCS_URL: &str =
    "https://github.com/boundary-lsp/boundary-lsp/blob/main/docs/rules/";

impl Config {
    /// Reads `boundary.toml` from `root`, or defaults when there is none.
    pub fn load(root: &Path, rules: &[&'static RuleMeta]) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_FILE);
        // Reading a FIFO or a device would block or never end: only regular files are config.
        if std::fs::metadata(&path).is_ok_and(|md| !md.is_file()) {
            return Err(ConfigError {
                file: path,
                line: 1,
                column: 1,
                key: None,
                message: "not a regular file (a directory, FIFO or device)".into(),
                span: 0..0,
            });
        }
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| ConfigError {
                    file: path.clone(),
                    line: 1,
                    column: 1,
                    key: None,
                    message: "the file is not valid UTF-8".into(),
                    span: 0..0,
                })?;
                Config::parse(&text, &path, rules)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError {
                file: path,
                line: 1,
                column: 1,
                key: None,
                message: format!("cannot read the file: {e}"),
                span: 0..0,
            }),
        }
    }

    /// Parses and validates config text.
    pub fn parse(
        text: &str,
        path: &Path,
        rules: &[&'static RuleMeta],
    ) -> Result<Config, ConfigError> {
        let p = Parser { text, path };
        let doc = ImDocument::parse(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            p.error(span, None, format!("invalid TOML: {}", e.message().trim()))
        })?;
        let mut cfg = Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        };
        for (key, item) in doc.as_table().iter() {
            match key {
                "include" => cfg.include = p.str_list(item, key)?,
                "exclude" => cfg.exclude = p.str_list(item, key)?,
                "check-tests" => cfg.check_tests = p.bool(item, key)?,
                "baseline" => cfg.baseline = Some(p.string(item, key)?),
                "baseline-mode" => {
                    let v = p.string(item, key)?;
                    if v != "hide" && v != "hint" {
                        return Err(p.error(p.span(item), Some(key), "expected \"hide\" or \"hint\"".into()));
                    }
                    cfg.baseline_mode = Some(v);
                }
                "docs-url" => cfg.docs_url = Some(p.string(item, key)?),
                "rules" => {
                    let table = p.table(item, key)?;
                    for (id, rule_item) in table.iter() {
                        let full = format!("rules.{id}");
                        let Some(meta) = rules.iter().find(|m| m.id == id) else {
                            return Err(p.error(
                                p.span(rule_item),
                                Some(&full),
                                format!("unknown rule `{id}` (run `boundary-lsp rules` for the list)"),
                            ));
                        };
                        cfg.rules.insert(id.to_string(), p.rule_settings(rule_item, &full, meta)?);
                    }
                }
                "layers" | "forbid" | "independent" => {
                    let entries = p.arch_entries(item, key)?;
                    match key {
                        "layers" => cfg.layers = entries,
                        "forbid" => cfg.forbid = entries,
                        _ => cfg.independent = entries,
                    }
                }
                _ => {
                    return Err(p.error(
                        p.span(item),
                        Some(key),
                        "unknown key (expected one of: include, exclude, check-tests, baseline, baseline-mode, docs-url, rules, layers, forbid, independent)".into(),
                    ))
                }
            }
        }
        cfg.include_set = p.globs(&cfg.include, "include", &doc)?;
        cfg.exclude_set = p.globs(&cfg.exclude, "exclude", &doc)?;
        super::graph::Architecture::from_config(&cfg)?;
        Ok(cfg)
    }

    /// `true` when a workspace-relative path (with `/` separators) is to be analysed.
    pub fn is_included(&self, rel: &str) -> bool {
        if let Some(ex) = &self.exclude_set {
            if ex.is_match(rel) {
                return false;
            }
        }
        match &self.include_set {
            Some(inc) => inc.is_match(rel),
            None => true,
        }
    }

    pub fn rule(&self, id: &str) -> Option<&RuleSettings> {
        self.rules.get(id)
    }

    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        self.rule(meta.id)
            .and_then(|r| r.enabled)
            .unwrap_or(meta.default_enabled)
    }

    pub fn severity(&self, meta: &RuleMeta) -> Severity {
        self.rule(meta.id)
            .and_then(|r| r.severity)
            .unwrap_or(meta.default_severity)
    }

    pub fn check_tests(&self, meta: &RuleMeta) -> bool {
        self.rule(meta.id)
            .and_then(|r| r.check_tests)
            .unwrap_or(self.check_tests)
    }

    /// An integer option, or its default from the rule's metadata.
    pub fn int(&self, meta: &RuleMeta, key: &str) -> i64 {
        match self.rule(meta.id).and_then(|r| r.options.get(key)) {
            Some(OptionValue::Int(i)) => *i,
            _ => match meta
                .options
                .iter()
                .find(|o| o.key == key)
                .map(|o| o.default)
            {
                Some(OptionDefault::Int(i)) => i,
                _ => panic!("rule {} has no integer option {key}", meta.id),
            },
        }
    }

    pub fn bool_opt(&self, meta: &RuleMeta, key: &str) -> bool {
        match self.rule(meta.id).and_then(|r| r.options.get(key)) {
            Some(OptionValue::Bool(b)) => *b,
            _ => match meta
                .options
                .iter()
                .find(|o| o.key == key)
                .map(|o| o.default)
            {
                Some(OptionDefault::Bool(b)) => b,
                _ => panic!("rule {} has no boolean option {key}", meta.id),
            },
        }
    }

    pub fn str_opt(&self, meta: &RuleMeta, key: &str) -> String {
        match self.rule(meta.id).and_then(|r| r.options.get(key)) {
            Some(OptionValue::Str(s)) => s.clone(),
            _ => match meta
                .options
                .iter()
                .find(|o| o.key == key)
                .map(|o| o.default)
            {
                Some(OptionDefault::Str(s)) => s.to_string(),
                _ => panic!("rule {} has no string option {key}", meta.id),
            },
        }
    }

    pub fn str_list(&self, meta: &RuleMeta, key: &str) -> Vec<String> {
        match self.rule(meta.id).and_then(|r| r.options.get(key)) {
            Some(OptionValue::StrList(l)) => l.clone(),
            _ => match meta
                .options
                .iter()
                .find(|o| o.key == key)
                .map(|o| o.default)
            {
                Some(OptionDefault::StrList(l)) => l.iter().map(|s| s.to_string()).collect(),
                _ => panic!("rule {} has no list option {key}", meta.id),
            },
        }
    }

    pub fn docs_url(&self, rule: &str) -> String {
        let base = self.docs_url.as_deref().unwrap_or(DEFAULT_DOCS_URL);
        format!("{base}{rule}.md")
    }
}

struct Parser<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Parser<'_> {
    fn error(
        &self,
        span: std::ops::Range<usize>,
        key: Option<&str>,
        message: String,
    ) -> ConfigError {
        let start = span.start.min(self.text.len());
        let before = &self.text[..start];
        let line = before.matches('\n').count() as u32 + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        ConfigError {
            file: self.path.to_path_buf(),
            line,
            column: col,
            key: key.map(str::to_string),
            message,
            span,
        }
    }

    fn span(&self, item: &Item) -> std::ops::Range<usize> {
        item.span().unwrap_or(0..0)
    }

    fn value_span(&self, v: &Value) -> std::ops::Range<usize> {
        v.span().unwrap_or(0..0)
    }

    fn type_error(&self, item: &Item, key: &str, want: &str) -> ConfigError {
        self.error(
            self.span(item),
            Some(key),
            format!("expected {want}, found {}", item.type_name()),
        )
    }

    fn table<'b>(&self, item: &'b Item, key: &str) -> Result<&'b dyn TableLike, ConfigError> {
        item.as_table_like()
            .ok_or_else(|| self.type_error(item, key, "a table"))
    }

    fn bool(&self, item: &Item, key: &str) -> Result<bool, ConfigError> {
        item.as_bool()
            .ok_or_else(|| self.type_error(item, key, "a boolean"))
    }

    fn string(&self, item: &Item, key: &str) -> Result<String, ConfigError> {
        item.as_str()
            .map(str::to_string)
            .ok_or_else(|| self.type_error(item, key, "a string"))
    }

    fn str_list(&self, item: &Item, key: &str) -> Result<Vec<String>, ConfigError> {
        let arr = item
            .as_array()
            .ok_or_else(|| self.type_error(item, key, "an array of strings"))?;
        arr.iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    self.error(
                        self.value_span(v),
                        Some(key),
                        format!("expected a string, found {}", v.type_name()),
                    )
                })
            })
            .collect()
    }

    fn rule_settings(
        &self,
        item: &Item,
        key: &str,
        meta: &RuleMeta,
    ) -> Result<RuleSettings, ConfigError> {
        let table = self.table(item, key)?;
        let mut s = RuleSettings::default();
        for (k, v) in table.iter() {
            let full = format!("{key}.{k}");
            match k {
                "enabled" => s.enabled = Some(self.bool(v, &full)?),
                "check-tests" => s.check_tests = Some(self.bool(v, &full)?),
                "severity" => {
                    let text = self.string(v, &full)?;
                    s.severity = Some(Severity::parse(&text).ok_or_else(|| {
                        self.error(
                            self.span(v),
                            Some(&full),
                            format!(
                                "unknown severity {text:?} (expected error, warning, info or hint)"
                            ),
                        )
                    })?);
                }
                _ => {
                    let Some(opt) = meta.options.iter().find(|o| o.key == k) else {
                        let mut known: Vec<&str> = vec!["enabled", "severity", "check-tests"];
                        known.extend(meta.options.iter().map(|o| o.key));
                        return Err(self.error(
                            self.span(v),
                            Some(&full),
                            format!(
                                "unknown key for rule `{}` (known keys: {})",
                                meta.id,
                                known.join(", ")
                            ),
                        ));
                    };
                    let value = match opt.default {
                        OptionDefault::Int(_) => {
                            let i = v
                                .as_integer()
                                .ok_or_else(|| self.type_error(v, &full, "an integer"))?;
                            if i < 0 {
                                return Err(self.error(
                                    self.span(v),
                                    Some(&full),
                                    "must not be negative".into(),
                                ));
                            }
                            OptionValue::Int(i)
                        }
                        OptionDefault::Bool(_) => OptionValue::Bool(self.bool(v, &full)?),
                        OptionDefault::Str(_) => OptionValue::Str(self.string(v, &full)?),
                        OptionDefault::StrList(_) => OptionValue::StrList(self.str_list(v, &full)?),
                    };
                    s.options.insert(k.to_string(), value);
                }
            }
        }
        Ok(s)
    }

    fn arch_entries(&self, item: &Item, key: &str) -> Result<Vec<ArchEntry>, ConfigError> {
        let tables: Vec<(&dyn TableLike, std::ops::Range<usize>)> = match item {
            Item::ArrayOfTables(a) => a
                .iter()
                .map(|t| (t as &dyn TableLike, t.span().unwrap_or(0..0)))
                .collect(),
            _ => {
                return Err(self.type_error(item, key, &format!("an array of tables ([[{key}]])")))
            }
        };
        let mut out = Vec::new();
        for (t, span) in tables {
            let line = self.error(span.clone(), None, String::new()).line;
            let mut e = ArchEntry {
                line,
                ..ArchEntry::default()
            };
            for (k, v) in t.iter() {
                let full = format!("{key}.{k}");
                match (key, k) {
                    ("layers", "name") => e.name = Some(self.string(v, &full)?),
                    (_, "modules") if key != "forbid" => e.modules = self.str_list(v, &full)?,
                    ("forbid", "from") => e.from = Some(self.string(v, &full)?),
                    ("forbid", "to") => e.to = self.str_list(v, &full)?,
                    ("forbid", "reason") | ("layers", "reason") | ("independent", "reason") => {
                        e.reason = Some(self.string(v, &full)?)
                    }
                    _ => return Err(self.error(self.span(v), Some(&full), "unknown key".into())),
                }
            }
            out.push(e);
        }
        Ok(out)
    }

    fn globs(
        &self,
        pats: &[String],
        key: &str,
        doc: &ImDocument<&str>,
    ) -> Result<Option<GlobSet>, ConfigError> {
        if pats.is_empty() {
            return Ok(None);
        }
        let mut b = GlobSetBuilder::new();
        for p in pats {
            let glob = Glob::new(p).map_err(|e| {
                let span = doc.get(key).map(|i| self.span(i)).unwrap_or(0..0);
                self.error(span, Some(key), format!("invalid glob {p:?}: {e}"))
            })?;
            b.add(glob);
        }
        b.build()
            .map(Some)
            .map_err(|e| self.error(0..0, Some(key), e.to_string()))
    }
}
