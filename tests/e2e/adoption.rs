//! End-to-end tests of the adoption features of `check`: baselines, `--diff-base`, the CI
//! formats (against golden files in `tests/e2e/golden/`) and `--fix --diff`. They run the real
//! binary on copies of `tests/fixtures/adoption` (a frozen copy of the demo workspace, so new demo code for other rules does not change these expectations) and on small temporary workspaces.
//!
//! `UPDATE_GOLDEN=1 cargo test --test adoption` rewrites the golden files (review the diff).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn demo() -> PathBuf {
    repo().join("tests/fixtures/adoption")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&demo(), dir.path());
    dir
}

/// The rules these tests rely on: rules added later do not change the expected output.
const RULES: &str = "bool-fields,static-mut,too-many-params,unused-suppression";

/// Runs `boundary-lsp check --select RULES <args>` in `cwd`.
fn check(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boundary-lsp"))
        .args(["check", "--select", RULES])
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// `check --format json` findings as (rule, file, line, message).
fn findings(cwd: &Path, extra: &[&str]) -> (Vec<(String, String, u64, String)>, Output) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let o = check(cwd, &args);
    assert!(
        o.status.code().is_some_and(|c| c < 2),
        "check failed: {}",
        stderr(&o)
    );
    let list = stdout(&o)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["rule"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (list, o)
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let new = f(text.clone());
    assert_ne!(text, new, "edit of {} changed nothing", path.display());
    std::fs::write(path, new).unwrap();
}

#[test]
fn baseline_round_trip() {
    let dir = demo_copy();
    let root = dir.path();
    let (all, _) = findings(root, &[]);
    assert_eq!(all.len(), 5, "{all:?}");

    let o = check(root, &["--write-baseline"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("wrote 5 finding(s) to baseline"),
        "{}",
        stderr(&o)
    );
    let written = std::fs::read_to_string(root.join("boundary-baseline.json")).unwrap();
    let v: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["version"], 1);
    let entries = v["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    let symbols: Vec<&str> = entries
        .iter()
        .map(|e| e["symbol"].as_str().unwrap())
        .collect();
    assert!(
        symbols.contains(&"crate::domain::item::Item"),
        "{symbols:?}"
    );
    assert!(symbols.contains(&"crate::pricing::total"), "{symbols:?}");
    assert!(
        !written.contains("\"line\""),
        "entries must not record lines:\n{written}"
    );

    // Everything known: nothing reported, exit 0, no stale entries.
    let (left, o) = findings(root, &["--baseline", "boundary-baseline.json"]);
    assert_eq!(left, vec![]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("5 baselined"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no longer occur"), "{}", stderr(&o));

    // Writing again gives the same bytes (sorted, no positions).
    let o = check(root, &["--write-baseline", "again.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(root.join("again.json")).unwrap(),
        written
    );

    // Fixing a finding makes its entry stale, and it is listed.
    edit(&root.join("crates/inventory-core/src/lib.rs"), |t| {
        t.replace("pub static mut RESERVATIONS: u64 = 0;", "pub static RESERVATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);")
    });
    let (left, o) = findings(root, &["--baseline", "boundary-baseline.json"]);
    assert_eq!(left, vec![]);
    let err = stderr(&o);
    assert!(err.contains("baseline: 1 entry no longer occurs"), "{err}");
    assert!(
        err.contains("  static-mut crates/inventory-core/src/lib.rs crate::RESERVATIONS: "),
        "{err}"
    );
}

#[test]
fn baseline_survives_unrelated_edits_and_reports_the_new_finding() {
    let dir = demo_copy();
    let root = dir.path();
    assert_eq!(check(root, &["--write-baseline"]).status.code(), Some(0));
    // 20 lines at the top of a file with a finding (it moves from line 3 to line 23)...
    edit(&root.join("crates/inventory-core/src/pricing.rs"), |t| {
        let header: String = (1..=20).map(|i| format!("// header line {i}\n")).collect();
        header + &t
    });
    // ...an unrelated function renamed...
    edit(
        &root.join("crates/inventory-core/src/domain/stock.rs"),
        |t| t.replace("pub fn level(&self", "pub fn level_of(&self"),
    );
    // ...and one new finding.
    edit(&root.join("crates/inventory-core/src/lib.rs"), |t| {
        t + "\n/// Counts failed reservations.\npub static mut FAILURES: u64 = 0;\n"
    });
    let (all, _) = findings(root, &[]);
    assert_eq!(all.len(), 6);
    assert!(
        all.iter().any(|f| f.0 == "too-many-params" && f.2 == 23),
        "{all:?}"
    );

    let (left, o) = findings(root, &["--baseline", "boundary-baseline.json"]);
    assert_eq!(
        left,
        vec![(
            "static-mut".to_string(),
            "crates/inventory-core/src/lib.rs".to_string(),
            17,
            "`static mut FAILURES: u64` is global mutable state without synchronisation"
                .to_string()
        )]
    );
    assert_eq!(o.status.code(), Some(1), "the new warning fails the check");
    assert!(!stderr(&o).contains("no longer occur"), "{}", stderr(&o));

    // Editing the flagged code itself makes it a new finding (the hash of its text changed).
    edit(&root.join("crates/inventory-core/src/pricing.rs"), |t| {
        t.replace("pub(crate) fn total(", "pub(crate) fn grand_total(")
    });
    let (left, o) = findings(root, &["--baseline", "boundary-baseline.json"]);
    assert_eq!(
        left.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        vec!["static-mut", "too-many-params"]
    );
    assert!(stderr(&o)
        .contains("too-many-params crates/inventory-core/src/pricing.rs crate::pricing::total"));
}

#[test]
fn baseline_from_config_and_errors() {
    let dir = demo_copy();
    let root = dir.path();
    std::fs::write(root.join("boundary.toml"), "baseline = \"ci/known.json\"\n").unwrap();
    // Configured but missing: a clear error.
    let o = check(root, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read baseline"),
        "{}",
        stderr(&o)
    );
    std::fs::create_dir(root.join("ci")).unwrap();
    // --write-baseline writes where the config says.
    assert_eq!(check(root, &["--write-baseline"]).status.code(), Some(0));
    assert!(root.join("ci/known.json").is_file());
    let (left, _) = findings(root, &[]);
    assert_eq!(left, vec![]);
    let (all, _) = findings(root, &["--no-baseline"]);
    assert_eq!(all.len(), 5);
    // A corrupt file is an error naming it, never silently "no baseline".
    std::fs::write(
        root.join("ci/known.json"),
        "{\"version\": 1, \"findings\": [",
    )
    .unwrap();
    let o = check(root, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("known.json: invalid baseline"),
        "{}",
        stderr(&o)
    );
    let o = check(root, &["--write-baseline", "--diff-base", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

const SIX: &str = "a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8";

#[test]
fn diff_base_reports_only_the_changed_function() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"d\"\nedition = \"2021\"\n",
    )
    .unwrap();
    let lib = format!(
        "pub fn first({SIX}) -> u8 {{\n    a\n}}\n\npub fn second({SIX}) -> u8 {{\n    let x = b;\n    x\n}}\n\npub fn third({SIX}) -> u8 {{\n    c\n}}\n"
    );
    std::fs::write(root.join("src/lib.rs"), &lib).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "init"]);
    let (all, _) = findings(root, &[]);
    assert_eq!(all.len(), 3);

    // Nothing changed: nothing reported.
    let (left, o) = findings(root, &["--diff-base", "HEAD"]);
    assert_eq!(left, vec![], "{}", stderr(&o));
    assert!(stderr(&o).contains("3 outside the diff"), "{}", stderr(&o));

    // A change inside `second`'s body (not on the line of its name) reports `second` only.
    edit(&root.join("src/lib.rs"), |t| {
        t.replace("    let x = b;", "    let x = b + 1;")
    });
    let (left, _) = findings(root, &["--diff-base", "HEAD"]);
    assert_eq!(
        left.iter().map(|f| (f.0.as_str(), f.2)).collect::<Vec<_>>(),
        vec![("too-many-params", 5)]
    );
    assert!(left[0].3.starts_with("`second`"), "{left:?}");

    // A new untracked file counts as changed.
    std::fs::write(root.join("src/extra.rs"), "pub static mut E: u8 = 0;\n").unwrap();
    edit(&root.join("src/lib.rs"), |t| t + "pub mod extra;\n");
    let (left, _) = findings(root, &["--diff-base", "HEAD"]);
    let got: Vec<(&str, &str)> = left.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("static-mut", "src/extra.rs"),
            ("too-many-params", "src/lib.rs")
        ]
    );

    let o = check(root, &["--diff-base", "no-such-rev"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`no-such-rev` is not a commit"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_base_outside_a_git_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.rs"), "pub static mut A: u8 = 0;\n").unwrap();
    // GIT_CEILING_DIRECTORIES: do not find a repository above the temporary directory.
    let o = Command::new(env!("CARGO_BIN_EXE_boundary-lsp"))
        .args(["check", ".", "--select", RULES, "--diff-base", "HEAD"])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--diff-base needs a git repository"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
}

/// Compares with `tests/e2e/golden/<name>`, or writes it under `UPDATE_GOLDEN=1`.
fn golden(name: &str, actual: &str) {
    let path = repo().join("tests/e2e/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

#[test]
fn ci_formats_match_golden_files() {
    for (format, file) in [
        ("github", "demo.github.txt"),
        ("gitlab", "demo.gitlab.json"),
        ("junit", "demo.junit.xml"),
    ] {
        let o = check(&demo(), &["--format", format, "--quiet"]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{format}");
        golden(file, &stdout(&o));
    }
    // Valid JSON with unique fingerprints.
    let v: Value =
        serde_json::from_str(&stdout(&check(&demo(), &["--format", "gitlab", "-q"]))).unwrap();
    let fps: std::collections::HashSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), 5);
    // A clean run is a valid, passing JUnit report and an empty GitHub log.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clean.rs"), "pub fn f() {}\n").unwrap();
    golden(
        "clean.junit.xml",
        &stdout(&check(dir.path(), &["--format", "junit", "-q"])),
    );
    assert_eq!(
        stdout(&check(dir.path(), &["--format", "github", "-q"])),
        ""
    );
}

/// `::warning file=F,line=N,col=N,endLine=N,endColumn=N,title=T::MESSAGE`, exactly.
fn assert_github_line(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("no `::` prefix: {line}"));
    let (cmd, rest) = rest.split_once(' ').unwrap();
    assert!(["error", "warning", "notice"].contains(&cmd), "{line}");
    let (props, message) = rest
        .split_once("::")
        .unwrap_or_else(|| panic!("no `::` separator: {line}"));
    let props: Vec<(String, String)> = props
        .split(',')
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("bad property `{p}` in {line}"));
            assert!(
                !v.contains(':') && !v.contains('\r') && !v.contains('\n'),
                "unescaped value `{v}` in {line}"
            );
            (k.to_string(), v.to_string())
        })
        .collect();
    let keys: Vec<&str> = props.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["file", "line", "col", "endLine", "endColumn", "title"],
        "{line}"
    );
    for (k, v) in &props[1..5] {
        assert!(v.parse::<u32>().is_ok_and(|n| n >= 1), "{k}={v} in {line}");
    }
    assert!(
        !message.is_empty() && !message.contains('\r') && !message.contains('\n'),
        "{line}"
    );
    // Every `%` starts one of the escapes the runner decodes.
    for s in std::iter::once(message).chain(props.iter().map(|(_, v)| v.as_str())) {
        for (i, _) in s.match_indices('%') {
            let esc = s.get(i + 1..i + 3).unwrap_or("");
            assert!(
                ["25", "0D", "0A", "3A", "2C"].contains(&esc),
                "stray `%` in {line}"
            );
        }
    }
    (cmd.to_string(), props, message.to_string())
}

fn github_unescape(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_format_line_syntax_and_escaping() {
    let out = stdout(&check(&demo(), &["--format", "github", "-q"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5);
    for l in &lines {
        let (cmd, props, message) = assert_github_line(l);
        assert_eq!(cmd, "warning");
        assert!(
            props[5].1.starts_with("boundary-lsp(") && props[5].1.ends_with(')'),
            "{l}"
        );
        assert!(github_unescape(&message).contains("\nhelp: "), "{l}");
    }
    // Commas, colons and percent signs in paths and messages are escaped so the runner
    // cannot split them; the message keeps `:` and `,` (only properties need them escaped).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("we,ird:100%.rs"),
        "pub static mut A: u8 = 0;\n",
    )
    .unwrap();
    let out = stdout(&check(dir.path(), &["--format", "github", "-q"]));
    assert_eq!(
        out,
        "::warning file=we%2Cird%3A100%25.rs,line=1,col=16,endLine=1,endColumn=17,title=boundary-lsp(static-mut)::\
         `static mut A: u8` is global mutable state without synchronisation%0Ahelp: use an atomic, a lock inside a \
         plain `static`, `OnceLock`, or pass the state to where it is needed\n"
    );
    let (_, props, message) = assert_github_line(out.trim_end());
    assert_eq!(github_unescape(&props[0].1), "we,ird:100%.rs");
    assert!(github_unescape(&message).starts_with("`static mut A: u8` is global"));
}

#[test]
fn json_findings_carry_suggestion_fix_and_docs_url() {
    let (_, o) = findings(&demo(), &[]);
    for line in stdout(&o).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(
            v["suggestion"]
                .as_str()
                .is_some_and(|s| !s.is_empty() && !s.contains('\n')),
            "{v}"
        );
        let rule = v["rule"].as_str().unwrap();
        assert!(
            v["docs_url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("docs/rules/{rule}.md")),
            "{v}"
        );
        if rule == "unused-suppression" {
            assert_eq!(v["fix"]["applicability"], "safe");
            assert_eq!(v["fix"]["edits"][0]["line"], 19);
            assert_eq!(v["fix"]["edits"][0]["new_text"], "");
        } else {
            assert!(v.get("fix").is_none(), "{v}");
        }
    }
}

#[test]
fn fix_diff_prints_the_change() {
    let dir = demo_copy();
    let root = dir.path();
    let o = check(root, &["--fix", "--diff"]);
    let out = stdout(&o);
    let expected = "\
--- a/crates/inventory-web/src/main.rs
+++ b/crates/inventory-web/src/main.rs
@@ -16,6 +16,5 @@
     if server.stock.reserve(&item.sku, 1) && server.verbose {
         println!(\"reserved {} (tls: {}, gzip: {}, keep-alive: {})\", item.name, server.tls, server.compress, server.keep_alive);
     }
-    // boundary: allow(static-mut)
     let _ = inventory_core::price_of(&item, 2);
 }
";
    assert!(out.starts_with(expected), "{out}");
    let text = std::fs::read_to_string(root.join("crates/inventory-web/src/main.rs")).unwrap();
    assert!(!text.contains("boundary: allow"), "the file was written");
    // With a machine format the diff goes to stderr and stdout stays JSON.
    let dir = demo_copy();
    let o = check(dir.path(), &["--fix", "--diff", "--format", "json"]);
    assert!(stderr(&o).contains(expected), "{}", stderr(&o));
    for l in stdout(&o).lines() {
        serde_json::from_str::<Value>(l).unwrap();
    }
    let o = check(dir.path(), &["--diff"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--diff needs --fix"));
}
