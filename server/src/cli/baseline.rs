//! `check --write-baseline` and `check --baseline`: the file side of
//! [`crate::analysis::baseline`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::baseline::{self, Baseline, Entry, Key};
use crate::analysis::loader::{self, Analysis};

use super::output::Located;

/// The keys of located findings (parallel to `located`); reads each file with findings once.
pub fn keys(analysis: &Analysis, located: &[Located]) -> Vec<Key> {
    let mut texts: HashMap<&str, String> = HashMap::new();
    located
        .iter()
        .map(|l| {
            let text = texts.entry(l.file.as_str()).or_insert_with(|| {
                loader::read_source(&analysis.root.join(&l.file)).unwrap_or_default()
            });
            let module_path = analysis
                .workspace
                .file(&l.file)
                .map_or(&[][..], |f| &f.module_path[..]);
            Key::of(&l.finding, &l.file, module_path, text)
        })
        .collect()
}

/// Where the baseline lives: an explicit path (relative to the current directory), else the
/// config's `baseline` (relative to the workspace root), else `boundary-baseline.json` at the root.
pub(super) fn resolve(root: &Path, explicit: Option<&Path>, configured: Option<&str>) -> PathBuf {
    match (explicit, configured) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(c)) => root.join(c),
        (None, None) => root.join(baseline::DEFAULT_FILE),
    }
}

pub(super) fn write(
    path: &Path,
    analysis: &Analysis,
    located: &[Located],
) -> Result<usize, String> {
    let entries: Vec<Entry> = keys(analysis, located)
        .into_iter()
        .zip(located)
        .map(|(key, l)| Entry {
            key,
            message: l.finding.message.clone(),
        })
        .collect();
    let n = entries.len();
    let text = Baseline::new(entries).to_json();
    std::fs::write(path, text)
        .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))?;
    Ok(n)
}

pub(crate) fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    Baseline::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}
