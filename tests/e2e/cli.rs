//! End-to-end tests of `boundary-lsp check` and `boundary-lsp rules` on the built binary:
//! output formats, exit codes, fixes, rule selection, config errors and bad input.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_boundary-lsp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .output()
        .expect("run boundary-lsp");
    Out {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A one-package crate with `src/lib.rs`.
fn krate(lib: &str) -> tempfile::TempDir {
    let d = tmp();
    write(
        d.path(),
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(d.path(), "src/lib.rs", lib);
    d
}

fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// (rule, file, line) of each JSON finding.
fn keys(s: &str) -> Vec<(String, String, u64)> {
    json_lines(s)
        .iter()
        .map(|v| {
            (
                v["rule"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const STATIC_MUT: &str = "pub static mut COUNTER: u32 = 0;\n";
const SM_MSG: &str = "`static mut COUNTER: u32` is global mutable state without synchronisation";
const SM_HELP: &str = "use an atomic, a lock inside a plain `static`, `OnceLock`, or pass the state to where it is needed";

/// The summary line, with its timing checked and removed.
fn summary_without_time(line: &str) -> &str {
    let (head, time) = line.rsplit_once(" in ").expect("summary has a time");
    assert!(
        time.ends_with('s') && time.trim_end_matches('s').parse::<f64>().is_ok(),
        "bad time in {line:?}"
    );
    head
}

#[test]
fn human_format_is_rustc_like() {
    let d = krate(STATIC_MUT);
    let o = run(d.path(), &["check", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let (body, summary) = o.stdout.trim_end().rsplit_once('\n').unwrap();
    assert_eq!(
        body,
        format!(
            "warning[static-mut]: {SM_MSG}\n --> src/lib.rs:1:16\n  |\n1 | pub static mut COUNTER: u32 = 0;\n  |                ^^^^^^^\n  |\n  = help: {SM_HELP}\n"
        )
    );
    assert_eq!(
        summary_without_time(summary),
        "1 file(s), 1 line(s): 0 error(s), 1 warning(s), 0 info, 0 hint(s)"
    );
    assert_eq!(o.stderr, "");
}

#[test]
fn json_format_is_one_exact_object_per_line() {
    let d = krate("pub static mut COUNTER: u32 = 0;\n// boundary: allow(bool-fields)\nfn f() {}\n");
    let o = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let lines = json_lines(&o.stdout);
    assert_eq!(
        lines,
        vec![
            json!({
                "rule": "static-mut", "severity": "warning", "category": "state", "file": "src/lib.rs",
                "line": 1, "column": 16, "end_line": 1, "end_column": 23,
                "message": SM_MSG, "suggestion": SM_HELP, "symbol": "COUNTER",
                "docs_url": "https://github.com/boundary-lsp/boundary-lsp/blob/main/docs/rules/static-mut.md",
            }),
            json!({
                "rule": "unused-suppression", "severity": "warning", "category": "meta", "file": "src/lib.rs",
                "line": 2, "column": 20, "end_line": 2, "end_column": 31,
                "message": "`bool-fields` is allowed here but nothing needs it", "suggestion": "remove the suppression",
                "docs_url": "https://github.com/boundary-lsp/boundary-lsp/blob/main/docs/rules/unused-suppression.md",
                "fix": {
                    "title": "Remove unused suppression of `bool-fields`", "applicability": "safe",
                    "edits": [{"line": 2, "column": 1, "end_line": 3, "end_column": 1, "new_text": ""}],
                },
            }),
        ]
    );
    // Machine formats keep stdout clean: the summary goes to stderr.
    assert!(
        o.stderr
            .starts_with("1 file(s), 3 line(s): 0 error(s), 2 warning(s)"),
        "{}",
        o.stderr
    );
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let d = krate("/* é€😀 */ pub static mut COUNTER: u32 = 0;\n");
    let o = run(d.path(), &["check", ".", "--format", "json"]);
    let v = &json_lines(&o.stdout)[0];
    assert_eq!(
        (v["column"].as_u64(), v["end_column"].as_u64()),
        (Some(26), Some(33))
    );
}

#[test]
fn sarif_format_has_rules_results_and_regions() {
    let d = krate(STATIC_MUT);
    write(d.path(), "src/b.rs", "");
    let o = run(d.path(), &["check", ".", "--format", "sarif"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let doc: Value = serde_json::from_str(&o.stdout).expect("one JSON document");
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "boundary-lsp");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "static-mut",
        "too-many-params",
        "bool-fields",
        "unused-suppression",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    for r in rules {
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        assert!(r["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## What it finds"));
        assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "static-mut");
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "static-mut"
    );
    assert_eq!(r["level"], "warning");
    assert!(r["message"]["text"].as_str().unwrap().starts_with(SM_MSG));
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/lib.rs");
    assert_eq!(
        loc["region"],
        json!({"startLine": 1, "startColumn": 16, "endLine": 1, "endColumn": 23})
    );
    assert!(r["partialFingerprints"]
        .as_object()
        .is_some_and(|o| !o.is_empty()));
}

#[test]
fn exit_codes_follow_fail_on() {
    let d = krate(STATIC_MUT);
    assert_eq!(
        run(d.path(), &["check", "."]).code,
        1,
        "default --fail-on is warning"
    );
    assert_eq!(
        run(d.path(), &["check", ".", "--fail-on", "warning"]).code,
        1
    );
    assert_eq!(run(d.path(), &["check", ".", "--fail-on", "info"]).code, 1);
    assert_eq!(run(d.path(), &["check", ".", "--fail-on", "error"]).code, 0);
    assert_eq!(run(d.path(), &["check", ".", "--fail-on", "never"]).code, 0);
    // Severity from the config.
    write(
        d.path(),
        "boundary.toml",
        "[rules.static-mut]\nseverity = \"error\"\n",
    );
    let o = run(
        d.path(),
        &["check", ".", "--fail-on", "error", "--format", "json"],
    );
    assert_eq!(o.code, 1);
    assert_eq!(json_lines(&o.stdout)[0]["severity"], "error");
    write(
        d.path(),
        "boundary.toml",
        "[rules.static-mut]\nseverity = \"info\"\n",
    );
    assert_eq!(
        run(d.path(), &["check", "."]).code,
        0,
        "info is below the default --fail-on"
    );
    assert_eq!(run(d.path(), &["check", ".", "--fail-on", "info"]).code, 1);
    write(
        d.path(),
        "boundary.toml",
        "[rules.static-mut]\nseverity = \"hint\"\n",
    );
    assert_eq!(
        run(d.path(), &["check", ".", "--fail-on", "info"]).code,
        0,
        "hints never fail"
    );
    write(
        d.path(),
        "boundary.toml",
        "[rules.static-mut]\nenabled = false\n",
    );
    let o = run(d.path(), &["check", "."]);
    assert_eq!(o.code, 0);
    assert!(!o.stdout.contains("warning["));
}

#[test]
fn clean_code_exits_0() {
    let d = krate("pub fn f(a: u8) -> u8 { a }\n");
    let o = run(d.path(), &["check", "."]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_eq!(
        summary_without_time(o.stdout.trim_end()),
        "1 file(s), 1 line(s): 0 error(s), 0 warning(s), 0 info, 0 hint(s)"
    );
}

#[test]
fn usage_errors_exit_2() {
    let d = krate(STATIC_MUT);
    for args in [
        &["check", ".", "--format", "xml"][..],
        &["check", ".", "--fail-on", "sometimes"],
        &["check", ".", "--no-such-flag"],
        &["check", ".", "--unsafe-fixes"],
        &["check", "missing-dir"],
        &["check", ".", "--select", "no-such-rule"],
        &["check", ".", "--ignore", "static-mut,nope"],
        &["rules", "no-such-rule"],
    ] {
        let o = run(d.path(), args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains("error"), "{args:?}: {}", o.stderr);
        assert_eq!(o.stdout, "", "{args:?}");
    }
    assert!(run(d.path(), &["check", "missing-dir"])
        .stderr
        .contains("missing-dir: no such file or directory"));
    assert!(run(d.path(), &["check", ".", "--select", "no-such-rule"])
        .stderr
        .contains("unknown rule `no-such-rule`"));
}

#[test]
fn fix_applies_safe_fixes_and_is_idempotent() {
    let before = "// boundary: allow(static-mut)\npub fn f() {}\npub static mut X: u8 = 0; // boundary: allow(static-mut, bool-fields)\n";
    let after = "pub fn f() {}\npub static mut X: u8 = 0; // boundary: allow(static-mut)\n";
    let d = krate(before);
    let o = run(d.path(), &["check", ".", "--fix"]);
    assert_eq!(read(d.path(), "src/lib.rs"), after);
    assert_eq!(o.code, 0, "nothing left: {}", o.stdout);
    assert!(
        o.stderr
            .contains("fixed 2 finding(s) in 1 file(s)\n  src/lib.rs: 2 fix(es)"),
        "{}",
        o.stderr
    );
    // A second run finds nothing to fix and changes nothing.
    let mtime = std::fs::metadata(d.path().join("src/lib.rs"))
        .unwrap()
        .modified()
        .unwrap();
    let o = run(d.path(), &["check", ".", "--fix"]);
    assert_eq!(o.code, 0);
    assert!(
        o.stderr.contains("fixed 0 finding(s) in 0 file(s)"),
        "{}",
        o.stderr
    );
    assert_eq!(read(d.path(), "src/lib.rs"), after);
    assert_eq!(
        std::fs::metadata(d.path().join("src/lib.rs"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
    // No temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(d.path().join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("lib.rs")]);
}

#[test]
fn fix_reports_remaining_findings_and_keeps_unfixable_code() {
    let d = krate("// boundary: allow(bool-fields)\npub static mut X: u8 = 0;\n");
    let o = run(d.path(), &["check", ".", "--fix", "--format", "json"]);
    assert_eq!(read(d.path(), "src/lib.rs"), "pub static mut X: u8 = 0;\n");
    assert_eq!(o.code, 1);
    assert_eq!(
        keys(&o.stdout),
        vec![("static-mut".into(), "src/lib.rs".into(), 1)]
    );
}

#[test]
fn fix_does_not_touch_files_without_fixes() {
    let d = krate(STATIC_MUT);
    let o = run(d.path(), &["check", ".", "--fix", "--unsafe-fixes"]);
    assert_eq!(o.code, 1);
    assert_eq!(read(d.path(), "src/lib.rs"), STATIC_MUT);
}

const MIXED: &str = "pub static mut X: u8 = 0;\n\
pub struct Flags { a: bool, b: bool, c: bool, d: bool }\n\
pub fn many(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}\n";

#[test]
fn select_and_ignore() {
    let d = krate(MIXED);
    let all = run(d.path(), &["check", ".", "--format", "json"]);
    let rules = |o: &Out| {
        keys(&o.stdout)
            .into_iter()
            .map(|k| (k.0, k.2))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rules(&all),
        vec![
            ("static-mut".into(), 1),
            ("bool-fields".into(), 2),
            ("too-many-params".into(), 3)
        ]
    );
    let o = run(
        d.path(),
        &["check", ".", "--format", "json", "--select", "static-mut"],
    );
    assert_eq!(rules(&o), vec![("static-mut".into(), 1)]);
    let o = run(
        d.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--select",
            "bool-fields,too-many-params",
        ],
    );
    assert_eq!(
        rules(&o),
        vec![("bool-fields".into(), 2), ("too-many-params".into(), 3)]
    );
    let o = run(
        d.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--select",
            "bool-fields",
            "--select",
            "static-mut",
        ],
    );
    assert_eq!(
        rules(&o),
        vec![("static-mut".into(), 1), ("bool-fields".into(), 2)]
    );
    let o = run(
        d.path(),
        &["check", ".", "--format", "json", "--ignore", "static-mut"],
    );
    assert_eq!(
        rules(&o),
        vec![("bool-fields".into(), 2), ("too-many-params".into(), 3)]
    );
    let o = run(
        d.path(),
        &[
            "check",
            ".",
            "--format",
            "json",
            "--select",
            "static-mut,bool-fields",
            "--ignore",
            "static-mut",
        ],
    );
    assert_eq!(rules(&o), vec![("bool-fields".into(), 2)]);
    // --select enables a rule the config disabled.
    write(
        d.path(),
        "boundary.toml",
        "[rules.static-mut]\nenabled = false\n",
    );
    assert_eq!(
        rules(&run(d.path(), &["check", ".", "--format", "json"])).len(),
        2
    );
    let o = run(
        d.path(),
        &["check", ".", "--format", "json", "--select", "static-mut"],
    );
    assert_eq!(rules(&o), vec![("static-mut".into(), 1)]);
}

fn config_error(toml: &str) -> String {
    let d = krate(STATIC_MUT);
    write(d.path(), "boundary.toml", toml);
    let o = run(d.path(), &["check", "."]);
    assert_eq!(o.code, 2, "{toml:?}: {}", o.stderr);
    assert_eq!(o.stdout, "", "no findings printed on a config error");
    o.stderr
}

#[test]
fn invalid_toml_names_file_and_line() {
    let e = config_error("include = [\"src/**\"]\n[rules.bool-fields\nmax-bools = 3\n");
    assert!(e.starts_with("error: boundary.toml:2:"), "{e}");
    assert!(e.contains("invalid TOML"), "{e}");
}

#[test]
fn unknown_keys_name_file_line_and_key() {
    let e = config_error("include = [\"src/**\"]\n\nfoo = 1\n");
    assert!(e.starts_with("error: boundary.toml:3:"), "{e}");
    assert!(e.contains("`foo`: unknown key"), "{e}");
    let e = config_error("[rules.bool-fields]\nmax-bools = 3\nmax-boolz = 4\n");
    assert!(e.starts_with("error: boundary.toml:3:"), "{e}");
    assert!(e.contains("`rules.bool-fields.max-boolz`"), "{e}");
    assert!(e.contains("max-bools"), "lists the known keys: {e}");
    let e = config_error("[rules.no-such-rule]\nenabled = false\n");
    assert!(e.starts_with("error: boundary.toml:1:"), "{e}");
    assert!(e.contains("no-such-rule"), "{e}");
}

#[test]
fn wrong_types_name_file_line_and_key() {
    let e = config_error("# thresholds\n[rules.bool-fields]\nmax-bools = \"three\"\n");
    assert!(e.starts_with("error: boundary.toml:3:"), "{e}");
    assert!(
        e.contains("`rules.bool-fields.max-bools`") && e.contains("integer"),
        "{e}"
    );
    let e = config_error("[rules.static-mut]\nenabled = \"no\"\n");
    assert!(
        e.starts_with("error: boundary.toml:2:") && e.contains("`rules.static-mut.enabled`"),
        "{e}"
    );
    let e = config_error("[rules.static-mut]\nseverity = \"loud\"\n");
    assert!(
        e.starts_with("error: boundary.toml:2:") && e.contains("`rules.static-mut.severity`"),
        "{e}"
    );
    let e = config_error("include = \"src\"\n");
    assert!(
        e.starts_with("error: boundary.toml:1:") && e.contains("`include`"),
        "{e}"
    );
}

#[test]
fn explicit_config_file_errors_name_that_file() {
    let d = krate(STATIC_MUT);
    write(
        d.path(),
        "conf/other.toml",
        "[rules.static-mut]\nenabled = 1\n",
    );
    let o = run(d.path(), &["check", ".", "--config", "conf/other.toml"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("other.toml:2:") && o.stderr.contains("`rules.static-mut.enabled`"),
        "{}",
        o.stderr
    );
    write(
        d.path(),
        "conf/other.toml",
        "[rules.static-mut]\nenabled = false\n",
    );
    assert_eq!(
        run(d.path(), &["check", ".", "--config", "conf/other.toml"]).code,
        0
    );
}

#[test]
fn a_file_with_syntax_errors_still_gets_findings() {
    let d = krate("fn broken( {\n    let x = ;\n}\npub static mut COUNTER: u32 = 0;\nimpl { fn\n");
    let o = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    // Parse errors are not our findings; the static after them is.
    assert_eq!(
        keys(&o.stdout),
        vec![("static-mut".into(), "src/lib.rs".into(), 4)]
    );
}

#[test]
fn a_non_utf8_file_is_reported_and_skipped() {
    let d = krate(STATIC_MUT);
    write(
        d.path(),
        "src/latin1.rs",
        b"// caf\xe9\npub static mut Y: u8 = 0;\n",
    );
    for format in ["human", "json", "sarif"] {
        let o = run(d.path(), &["check", ".", "--format", format]);
        assert_eq!(o.code, 1, "{format}: {}", o.stderr);
        assert!(
            o.stderr.contains(
                "warning: src/latin1.rs: skipped: not valid UTF-8 (invalid byte at offset 6)"
            ),
            "{format}: {}",
            o.stderr
        );
        assert!(!o.stdout.contains("latin1"), "{format}");
    }
    let o = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(
        keys(&o.stdout),
        vec![("static-mut".into(), "src/lib.rs".into(), 1)]
    );
    // Asked for that one file: still a clear message and no crash.
    let o = run(d.path(), &["check", "src/latin1.rs"]);
    assert_eq!(o.code, 0);
    assert!(
        o.stderr.contains("src/latin1.rs: skipped: not valid UTF-8"),
        "{}",
        o.stderr
    );
}

#[test]
fn an_empty_file_is_fine() {
    let d = krate("");
    let o = run(d.path(), &["check", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        summary_without_time(o.stdout.trim_end()).starts_with("1 file(s), "),
        "{}",
        o.stdout
    );
    let o = run(d.path(), &["check", "src/lib.rs", "--format", "sarif"]);
    assert_eq!(o.code, 0);
    let doc: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(doc["runs"][0]["results"], json!([]));
}

#[test]
fn a_5mb_file_is_analysed() {
    let mut text = String::with_capacity(5_300_000);
    let mut n = 0;
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(&format!(
            "pub fn f{n}(a: u32, b: &str) -> u32 {{\n    a + b.len() as u32\n}}\n\n"
        ));
        n += 1;
    }
    let lines = text.lines().count();
    text.push_str("pub static mut LAST: u8 = 0;\n");
    // `pub mod`: the functions are the crate's API, so only the `static mut` is a finding.
    let d = krate("pub mod big;\n");
    write(d.path(), "src/big.rs", &text);
    let o = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        keys(&o.stdout),
        vec![
            ("static-mut".into(), "src/big.rs".into(), lines as u64 + 1),
            // 80k `pub fn`s in one module.
            ("wide-module-api".into(), "src/lib.rs".into(), 1),
        ]
    );
}

#[test]
fn a_single_file_path_reports_only_that_file() {
    let d = krate("pub mod a;\npub mod b;\n");
    write(d.path(), "src/a.rs", STATIC_MUT);
    write(d.path(), "src/b.rs", STATIC_MUT);
    let o = run(d.path(), &["check", "src/b.rs", "--format", "json"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        keys(&o.stdout),
        vec![("static-mut".into(), "src/b.rs".into(), 1)]
    );
    // From inside the crate, paths stay relative to the workspace root.
    let o = run(
        &d.path().join("src"),
        &["check", "a.rs", "--format", "json"],
    );
    assert_eq!(
        keys(&o.stdout),
        vec![("static-mut".into(), "src/a.rs".into(), 1)]
    );
    // A sub-folder.
    let o = run(d.path(), &["check", "src", "--format", "json"]);
    assert_eq!(keys(&o.stdout).len(), 2);
}

#[test]
fn a_lone_file_outside_any_project() {
    let d = tmp();
    write(d.path(), "one.rs", STATIC_MUT);
    write(d.path(), "other.rs", STATIC_MUT);
    let o = run(d.path(), &["check", "one.rs"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains(" --> one.rs:1:16\n"), "{}", o.stdout);
    assert!(
        summary_without_time(o.stdout.trim_end().lines().last().unwrap())
            .starts_with("1 file(s), 1 line(s):")
    );
    let abs = d.path().join("one.rs");
    let o = run(
        d.path(),
        &["check", abs.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(
        keys(&o.stdout),
        vec![("static-mut".into(), "one.rs".into(), 1)]
    );
}

#[test]
fn a_folder_of_loose_files() {
    let d = tmp();
    write(d.path(), "snippets/one.rs", STATIC_MUT);
    write(d.path(), "snippets/nested/two.rs", MIXED);
    write(d.path(), "snippets/target/gen.rs", STATIC_MUT);
    write(d.path(), "snippets/ignored/gen.rs", STATIC_MUT);
    write(d.path(), "snippets/.gitignore", "ignored/\n");
    write(
        d.path(),
        "snippets/notes.txt",
        "pub static mut NOT_RUST: u8 = 0;\n",
    );
    let o = run(d.path(), &["check", "snippets", "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        keys(&o.stdout),
        vec![
            ("static-mut".into(), "nested/two.rs".into(), 1),
            ("bool-fields".into(), "nested/two.rs".into(), 2),
            ("too-many-params".into(), "nested/two.rs".into(), 3),
            ("static-mut".into(), "one.rs".into(), 1),
        ]
    );
}

#[test]
fn rules_lists_the_catalog() {
    let d = tmp();
    let o = run(d.path(), &["rules"]);
    assert_eq!(o.code, 0);
    let mut lines = o.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["RULE", "CATEGORY", "SEVERITY", "FIX", "SUMMARY"]);
    let rows: Vec<Vec<&str>> = o
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let row = |id: &str| {
        rows.iter()
            .find(|r| r.first() == Some(&id))
            .unwrap_or_else(|| panic!("{id} not listed"))
    };
    assert_eq!(&row("static-mut")[..3], ["static-mut", "state", "warning"]);
    assert_eq!(
        &row("too-many-params")[..3],
        ["too-many-params", "boundary", "warning"]
    );
    assert_eq!(
        &row("bool-fields")[..3],
        ["bool-fields", "state", "warning"]
    );
    assert_eq!(
        &row("unused-suppression")[..4],
        ["unused-suppression", "meta", "warning", "yes"]
    );
}

#[test]
fn rules_id_shows_docs_and_config_keys() {
    let d = tmp();
    let o = run(d.path(), &["rules", "bool-fields"]);
    assert_eq!(o.code, 0);
    let s = &o.stdout;
    assert!(s.starts_with("# `bool-fields`\n"), "{s}");
    for section in [
        "## What it finds",
        "## Why it matters",
        "## Example",
        "## Instead",
    ] {
        assert!(s.contains(section), "{section} missing:\n{s}");
    }
    assert!(
        s.contains("max-bools") && s.contains('3'),
        "config key and default:\n{s}"
    );
    let o = run(d.path(), &["rules", "too-many-params"]);
    assert!(o.stdout.contains("max-params") && o.stdout.contains('7'));
}

/// Every syntax tree and every temporary of the file pass is built in the allocator's tree
/// region, whose chunks are reused only once every block in them is freed: after `check`,
/// every chunk used is free again (nothing that outlives a file's analysis, such as a
/// summary sharing a string with its tree or a lazily built global, was left in one). A
/// process of its own, so that the globals are built during the analysis as in real use.
#[test]
fn check_leaves_no_block_in_the_tree_region() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/demo");
    let out = Command::new(env!("CARGO_BIN_EXE_boundary-lsp"))
        .args(["check", ".", "--format", "json", "--fail-on", "never"])
        .current_dir(&demo)
        .env("BOUNDARY_LOG", "boundary_lsp::memory=debug")
        .output()
        .expect("run boundary-lsp");
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let line = (stderr.lines())
        .find(|l| l.contains("tree region chunks"))
        .unwrap_or_else(|| panic!("no region log in {stderr}"));
    let count = |key: &str| -> usize {
        let at = line.find(key).unwrap_or_else(|| panic!("{key} in {line}")) + key.len();
        let digits: String = line[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    };
    assert!(count("used=") >= 1, "{line}");
    assert_eq!(count("free="), count("used="), "{line}");
}

/// The README's first command: every rule of the catalog fires at least once on the demo
/// workspace (`internal-error` aside, which only a bug produces).
#[test]
fn every_rule_fires_on_the_demo_workspace() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/demo");
    let o = run(
        &demo,
        &["check", ".", "--format", "json", "--fail-on", "never"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let fired: std::collections::BTreeSet<String> = keys(&o.stdout)
        .into_iter()
        .map(|(rule, _, _)| rule)
        .collect();
    let catalog: std::collections::BTreeSet<String> = boundary_lsp::analysis::rules::metas()
        .iter()
        .map(|m| m.id.to_string())
        .filter(|id| id != "internal-error")
        .collect();
    let missing: Vec<&String> = catalog.difference(&fired).collect();
    assert!(
        missing.is_empty(),
        "rules that do not fire on the demo: {missing:?}"
    );
}
