//! End-to-end: the layer rules on the fixture workspaces through the real binary, and the
//! `graph` pictures rendered by Graphviz and opened in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_boundary-lsp"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// `(file:line:column-end_column rule: message)` of every finding of `check --format json`.
fn findings(path: &Path, extra: &[&str]) -> (i32, Vec<String>) {
    let out = bin()
        .arg("check")
        .arg(path)
        .args(["--format", "json", "--quiet"])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let mut s = format!(
                "{}:{}:{}-{} {}: {}",
                v["file"].as_str().unwrap(),
                v["line"],
                v["column"],
                v["end_column"],
                v["rule"].as_str().unwrap(),
                v["message"].as_str().unwrap()
            );
            if let Some(r) = v["related"].as_array() {
                for r in r {
                    s.push_str(&format!(
                        " [{}:{} {}]",
                        r["file"].as_str().unwrap(),
                        r["line"],
                        r["message"].as_str().unwrap()
                    ));
                }
            }
            s
        })
        .collect();
    (out.status.code().unwrap(), lines)
}

/// A tool the test needs: in CI (`CI` set) a missing tool fails the test; elsewhere the test
/// is skipped with a printed reason.
fn require(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{tool}` is required in CI (installed by .ci/run)"
        );
        eprintln!("SKIPPED: `{tool}` is not installed");
    }
    found
}

#[test]
fn demo_workspace_layer_and_cycle_findings() {
    let (code, got) = findings(
        &fixture("demo"),
        &["--select", "layer-violation,module-cycle"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        got,
        [
            "crates/inventory-reports/src/summary.rs:5:5-30 layer-violation: layer violation: `inventory_reports::summary` (layer `model`) uses `inventory_reports::render::html` (layer `presentation`); layer `model` is below `presentation` and may not use it: a summary can be shown in many ways; it must not pick one [boundary.toml:6 layer `presentation` is declared above layer `model` here]",
            "crates/inventory-reports/src/summary.rs:5:5-30 module-cycle: module cycle: inventory_reports::render -> inventory_reports::summary -> inventory_reports::render [crates/inventory-reports/src/render/mod.rs:5 `inventory_reports::render` uses `inventory_reports::summary` here]",
            "crates/inventory-reports/src/totals.rs:10:37-60 module-cycle: module cycle: inventory_reports::summary -> inventory_reports::totals -> inventory_reports::summary [crates/inventory-reports/src/summary.rs:6 `inventory_reports::summary` uses `inventory_reports::totals` here]",
        ]
    );
}

#[test]
fn workspace_crates_layers_forbid_and_cargo_toml() {
    let (code, got) = findings(&fixture("layers-crates"), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        got,
        [
            "core/Cargo.toml:7:1-7 layer-violation: layer violation: `my_core` (layer `core`) uses `my_web` (layer `web`); layer `core` is below `web` and may not use it [boundary.toml:1 layer `web` is declared above layer `core` here]",
            "core/src/domain.rs:1:5-21 layer-violation: forbidden dependency: `my_core::domain` uses `serde::Serialize` (`my_core::domain` may not use `serde`): the domain is plain data [boundary.toml:8 [[forbid]] from `my_core::domain` to `serde`]",
            // The `#[cfg(test)]` use of `my_web` is not reported.
            "core/src/lib.rs:4:5-17 layer-violation: layer violation: `my_core` (layer `core`) uses `my_web` (layer `web`); layer `core` is below `web` and may not use it [boundary.toml:1 layer `web` is declared above layer `core` here]",
        ]
    );
}

#[test]
fn invalid_architecture_config_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    std::fs::create_dir_all(ws.join("src")).unwrap();
    std::fs::write(
        ws.join("Cargo.toml"),
        "[package]\nname = \"x\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(ws.join("src/lib.rs"), "pub mod a;\n").unwrap();
    std::fs::write(ws.join("src/a.rs"), "").unwrap();
    for (config, want) in [
        (
            "[[layers]]\nname = \"app\"\nmodules = [\"crate::a\"]\n\n[[layers]]\nname = \"app\"\nmodules = [\"crate::b\"]\n",
            "error: boundary.toml:5:1: `layers.name`: layer `app` is declared twice (first on line 1)\n",
        ),
        (
            "[[layers]]\nname = \"app\"\nmodules = [\"crate::a\"]\n[[layers]]\nname = \"core\"\nmodules = [\"crate::a\"]\n",
            "error: boundary.toml:4:1: `layers.modules`: `crate::a` is in two layers: `app` (line 1) and `core`\n",
        ),
        (
            "[[layers]]\nname = \"app\"\nmodules = [\"crate::nope\"]\n",
            "error: boundary.toml:1:1: `layers.modules`: unknown module pattern `crate::nope`: no module of the workspace has this path\n",
        ),
        (
            "[[forbid]]\nfrom = \"tokio\"\nto = [\"crate::a\"]\n",
            "error: boundary.toml:1:1: `forbid.from`: unknown module pattern `tokio`: `tokio` is not a crate of this workspace (patterns start with `crate::` or a workspace crate name; external crates are allowed in `forbid.to` only)\n",
        ),
        (
            "[[independent]]\nmodules = [\"crate::a::\"]\n",
            "error: boundary.toml:1:1: `independent.modules`: invalid module pattern \"crate::a::\": `` is not a module name, `*` or `**`\n",
        ),
    ] {
        std::fs::write(ws.join("boundary.toml"), config).unwrap();
        for sub in ["check", "graph"] {
            let out = bin().arg(sub).arg(ws).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{sub} with {config}");
            assert_eq!(String::from_utf8_lossy(&out.stderr), want, "{sub} with {config}");
        }
    }
}

fn graph(args: &[&str]) -> String {
    let out = bin().arg("graph").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn dot_renders_with_graphviz() {
    let demo = fixture("demo");
    let dot = graph(&[demo.to_str().unwrap(), "--format", "dot"]);
    assert!(dot.starts_with("digraph modules {"));
    assert!(dot.contains("label=\"layer presentation\""), "{dot}");
    assert_eq!(dot.matches("[color=\"#dc2626\"").count(), 4, "{dot}");
    let crates = graph(&[demo.to_str().unwrap(), "--format", "dot", "--crates"]);
    if !require("dot") {
        return;
    }
    for text in [dot, crates] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("g.dot");
        std::fs::write(&input, &text).unwrap();
        let out = Command::new("dot")
            .arg("-Tsvg")
            .arg(&input)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "dot failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.contains("<svg"), "{svg}");
        let nodes = text
            .lines()
            .filter(|l| l.trim_start().starts_with('n') && l.contains("[label="))
            .count();
        assert_eq!(svg.matches("class=\"node\"").count(), nodes);
    }
}

#[test]
fn html_opens_in_headless_chromium() {
    let demo = fixture("demo");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("graph.html");
    let out = bin()
        .arg("graph")
        .arg(&demo)
        .args(["--format", "html", "-o"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    let nodes = html.matches("<g class=\"node").count();
    assert!(nodes >= 10, "{nodes} nodes");
    assert!(
        !html.contains("http://") || !html.contains("src=\"http"),
        "no network resources"
    );
    if !require("chromium") {
        return;
    }
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {log}");
    // The script ran and counted the nodes in the DOM.
    assert!(
        dom.contains(&format!("data-rendered=\"{nodes}\"")),
        "the page script did not run: {}",
        &dom[..dom.len().min(600)]
    );
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
}
