//! Workspace-model tests on fixture workspaces written to temporary directories: packages and
//! targets from `Cargo.toml`, the module tree, editions, items with module paths and
//! visibilities, `use` edges, and files no module tree reaches.

use std::path::Path;

use boundary_lsp::analysis::config::Config;
use boundary_lsp::analysis::engine::Selection;
use boundary_lsp::analysis::loader::{self, Analysis};
use boundary_lsp::analysis::model::{ItemKind, Visibility};
use boundary_lsp::analysis::syntax::{self, Edition};
use boundary_lsp::analysis::workspace::{TargetKind, WsFile};

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Writes `//- /path` separated files and analyses the directory.
fn analyse(fixture: &str) -> (tempfile::TempDir, Analysis) {
    let d = tempfile::tempdir().unwrap();
    for chunk in fixture.split("//- /").skip(1) {
        let (path, text) = chunk.split_once('\n').unwrap();
        write(d.path(), path.trim(), text);
    }
    let engine = loader::engine_for(Config::default(), &Selection::default());
    let a = loader::analyse_path(d.path(), &engine);
    (d, a)
}

fn file<'a>(a: &'a Analysis, rel: &str) -> &'a WsFile {
    a.workspace.file(rel).unwrap_or_else(|| {
        panic!(
            "{rel} not analysed; files: {:?}",
            a.workspace
                .files
                .iter()
                .map(|f| &f.meta.rel_path)
                .collect::<Vec<_>>()
        )
    })
}

fn module(a: &Analysis, rel: &str) -> String {
    file(a, rel).module_path.join("::")
}

/// `package/target-kind:name` of every target reaching the file.
fn reached_by(a: &Analysis, rel: &str) -> Vec<String> {
    let f = file(a, rel);
    let mut v: Vec<String> = f
        .targets
        .iter()
        .map(|&(p, t)| {
            let t2 = a.workspace.target((p, t));
            format!(
                "{}/{}:{}",
                a.workspace.packages[p].name,
                t2.kind.as_str(),
                t2.name
            )
        })
        .collect();
    v.sort();
    v
}

fn targets(a: &Analysis, package: &str) -> Vec<(TargetKind, String, String)> {
    let p = a
        .workspace
        .packages
        .iter()
        .find(|p| p.name == package)
        .unwrap_or_else(|| panic!("no package {package}"));
    p.targets
        .iter()
        .map(|t| (t.kind, t.name.clone(), t.root.clone()))
        .collect()
}

const PKG: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";

#[test]
fn module_tree_follows_mod_rs_files_and_path_attributes() {
    let (_d, a) = analyse(&format!(
        r#"
//- /Cargo.toml
{PKG}
//- /src/lib.rs
pub mod net;
mod util;
#[path = "generated/codegen.rs"]
mod gen;
//- /src/net/mod.rs
pub mod client;
mod server;
//- /src/net/client.rs
pub struct Client;
//- /src/net/server.rs
#[path = "impl_detail.rs"]
mod detail;
//- /src/net/impl_detail.rs
pub fn run() {{}}
//- /src/util.rs
mod strings;
//- /src/util/strings.rs
pub fn trim() {{}}
//- /src/generated/codegen.rs
mod inner;
//- /src/generated/inner.rs
pub fn gen() {{}}
"#
    ));
    assert_eq!(module(&a, "src/lib.rs"), "crate");
    assert_eq!(module(&a, "src/net/mod.rs"), "crate::net");
    assert_eq!(module(&a, "src/net/client.rs"), "crate::net::client");
    assert_eq!(module(&a, "src/net/server.rs"), "crate::net::server");
    // #[path] on `mod x;` is relative to the declaring file's directory, also in a
    // non-mod-rs file (where a plain `mod x;` would be in `src/net/server/`).
    assert_eq!(
        module(&a, "src/net/impl_detail.rs"),
        "crate::net::server::detail"
    );
    assert_eq!(module(&a, "src/util/strings.rs"), "crate::util::strings");
    assert_eq!(module(&a, "src/generated/codegen.rs"), "crate::gen");
    // A file loaded through #[path] is a mod-rs-like file for its children: `mod inner;` in
    // `generated/codegen.rs` lives next to it.
    assert_eq!(module(&a, "src/generated/inner.rs"), "crate::gen::inner");
    for f in &a.workspace.files {
        assert_eq!(
            reached_by(&a, &f.meta.rel_path),
            ["app/lib:app"],
            "{}",
            f.meta.rel_path
        );
        assert_eq!(f.meta.target, TargetKind::Lib, "{}", f.meta.rel_path);
    }
}

#[test]
fn nested_inline_modules() {
    let (_d, a) = analyse(&format!(
        r#"
//- /Cargo.toml
{PKG}
//- /src/lib.rs
pub mod outer {{
    pub(crate) mod inner {{
        pub mod leaf;
        pub(super) fn helper() {{}}
    }}
    #[path = "elsewhere"]
    mod moved {{
        mod deep;
    }}
}}
//- /src/outer/inner/leaf.rs
pub(in crate::outer) struct Leaf;
//- /src/outer/elsewhere/deep.rs
pub(self) fn deep() {{}}
"#
    ));
    assert_eq!(
        module(&a, "src/outer/inner/leaf.rs"),
        "crate::outer::inner::leaf"
    );
    // #[path] on an inline module names a directory, relative to the enclosing inline
    // modules' directory (rustc's `mod_dir_path`).
    assert_eq!(
        module(&a, "src/outer/elsewhere/deep.rs"),
        "crate::outer::moved::deep"
    );
    let lib = file(&a, "src/lib.rs");
    let helper = lib
        .summary
        .items
        .iter()
        .find(|i| i.name == "helper")
        .unwrap();
    assert_eq!(helper.kind, ItemKind::Fn);
    assert_eq!(helper.vis, Visibility::PubSuper);
    assert_eq!(
        lib.module_of_scope(&helper.scope).join("::"),
        "crate::outer::inner"
    );
    let inner = lib.summary.mods.iter().find(|m| m.name == "inner").unwrap();
    assert!(inner.inline);
    assert_eq!(inner.vis, Visibility::PubCrate);
    let leaf = &file(&a, "src/outer/inner/leaf.rs").summary.items[0];
    assert_eq!(leaf.vis, Visibility::PubIn("crate::outer".into()));
    assert_eq!(
        file(&a, "src/outer/elsewhere/deep.rs").summary.items[0].vis,
        Visibility::PubSelf
    );
}

#[test]
fn items_and_use_edges() {
    let (_d, a) = analyse(
        &(format!(
            r#"
//- /Cargo.toml
{PKG}
//- /src/lib.rs
mod a;
pub use a::{{Thing as Renamed, helpers::*}};
use std::collections::HashMap;
pub(crate) use self::a::Thing;
"#
        ) + "//- /src/a.rs\npub struct Thing;\nfn private() {}\n"),
    );
    let lib = file(&a, "src/lib.rs");
    let uses: Vec<(String, Option<&str>, bool, &Visibility)> = lib
        .summary
        .uses
        .iter()
        .map(|u| (u.path.join("::"), u.alias.as_deref(), u.glob, &u.vis))
        .collect();
    assert_eq!(
        uses,
        vec![
            (
                "a::Thing".to_string(),
                Some("Renamed"),
                false,
                &Visibility::Pub
            ),
            ("a::helpers".to_string(), None, true, &Visibility::Pub),
            (
                "std::collections::HashMap".to_string(),
                None,
                false,
                &Visibility::Private
            ),
            (
                "self::a::Thing".to_string(),
                None,
                false,
                &Visibility::PubCrate
            ),
        ]
    );
    let items: Vec<(&str, ItemKind, &Visibility)> = file(&a, "src/a.rs")
        .summary
        .items
        .iter()
        .map(|i| (i.name.as_str(), i.kind, &i.vis))
        .collect();
    assert_eq!(
        items,
        vec![
            ("Thing", ItemKind::Struct, &Visibility::Pub),
            ("private", ItemKind::Fn, &Visibility::Private)
        ]
    );
}

#[test]
fn bin_and_lib_in_one_package() {
    let (_d, a) = analyse(&format!(
        r#"
//- /Cargo.toml
{PKG}
//- /src/lib.rs
pub mod shared;
//- /src/shared.rs
pub fn f() {{}}
//- /src/main.rs
mod cli;
fn main() {{}}
//- /src/cli.rs
pub fn parse() {{}}
//- /src/bin/tool.rs
fn main() {{}}
//- /src/bin/multi/main.rs
mod part;
fn main() {{}}
//- /src/bin/multi/part.rs
pub fn p() {{}}
//- /tests/integration.rs
mod common;
//- /tests/common/mod.rs
pub fn setup() {{}}
//- /examples/demo.rs
fn main() {{}}
//- /benches/speed.rs
fn main() {{}}
//- /build.rs
fn main() {{}}
"#
    ));
    let mut t = targets(&a, "app");
    t.sort();
    assert_eq!(
        t,
        vec![
            (TargetKind::Lib, "app".into(), "src/lib.rs".into()),
            (TargetKind::Bin, "app".into(), "src/main.rs".into()),
            (
                TargetKind::Bin,
                "multi".into(),
                "src/bin/multi/main.rs".into()
            ),
            (TargetKind::Bin, "tool".into(), "src/bin/tool.rs".into()),
            (
                TargetKind::Test,
                "integration".into(),
                "tests/integration.rs".into()
            ),
            (
                TargetKind::Example,
                "demo".into(),
                "examples/demo.rs".into()
            ),
            (TargetKind::Bench, "speed".into(), "benches/speed.rs".into()),
            (
                TargetKind::BuildScript,
                "build-script-build".into(),
                "build.rs".into()
            ),
        ]
    );
    assert_eq!(reached_by(&a, "src/shared.rs"), ["app/lib:app"]);
    assert_eq!(reached_by(&a, "src/cli.rs"), ["app/bin:app"]);
    assert_eq!(module(&a, "src/cli.rs"), "crate::cli");
    assert_eq!(file(&a, "src/cli.rs").meta.target, TargetKind::Bin);
    assert_eq!(module(&a, "src/bin/multi/part.rs"), "crate::part");
    assert_eq!(reached_by(&a, "src/bin/multi/part.rs"), ["app/bin:multi"]);
    assert_eq!(
        reached_by(&a, "tests/common/mod.rs"),
        ["app/test:integration"]
    );
    assert_eq!(
        file(&a, "tests/common/mod.rs").meta.target,
        TargetKind::Test
    );
    assert_eq!(
        file(&a, "examples/demo.rs").meta.target,
        TargetKind::Example
    );
    assert_eq!(file(&a, "benches/speed.rs").meta.target, TargetKind::Bench);
    assert_eq!(file(&a, "build.rs").meta.target, TargetKind::BuildScript);
}

#[test]
fn explicit_targets_and_lib_path() {
    let (_d, a) = analyse(
        r#"
//- /Cargo.toml
[package]
name = "my-pkg"
version = "0.1.0"
edition = "2018"
autobins = false

[lib]
name = "mylib"
path = "code/root.rs"

[[bin]]
name = "runner"
path = "tools/run.rs"

[[test]]
name = "smoke"
//- /code/root.rs
mod inner;
//- /code/inner.rs
pub fn i() {}
//- /tools/run.rs
fn main() {}
//- /src/bin/not_a_target.rs
fn main() {}
//- /tests/smoke.rs
#[test]
fn t() {}
"#,
    );
    let mut t = targets(&a, "my-pkg");
    t.sort();
    assert_eq!(
        t,
        vec![
            (TargetKind::Lib, "mylib".into(), "code/root.rs".into()),
            (TargetKind::Bin, "runner".into(), "tools/run.rs".into()),
            (TargetKind::Test, "smoke".into(), "tests/smoke.rs".into()),
        ]
    );
    assert_eq!(module(&a, "code/inner.rs"), "crate::inner");
    assert_eq!(
        file(&a, "code/inner.rs").meta.crate_name.as_deref(),
        Some("mylib")
    );
    assert!(
        file(&a, "src/bin/not_a_target.rs").targets.is_empty(),
        "autobins = false"
    );
    assert_eq!(a.workspace.packages[0].edition, Edition::E2018);
}

#[test]
fn workspace_members_globs_and_exclude() {
    let (_d, a) = analyse(
        r#"
//- /Cargo.toml
[workspace]
members = ["crates/*", "tools/cli"]
exclude = ["crates/legacy"]

[workspace.package]
edition = "2018"
//- /crates/alpha/Cargo.toml
[package]
name = "alpha"
version = "0.1.0"
edition.workspace = true
//- /crates/alpha/src/lib.rs
pub mod m;
//- /crates/alpha/src/m.rs
pub fn f() {}
//- /crates/beta/Cargo.toml
[package]
name = "beta"
version = "0.1.0"
edition = "2024"
//- /crates/beta/src/main.rs
fn main() {}
//- /crates/legacy/Cargo.toml
[package]
name = "legacy"
version = "0.1.0"
//- /crates/legacy/src/lib.rs
pub fn old() {}
//- /tools/cli/Cargo.toml
[package]
name = "cli"
version = "0.1.0"
edition = { workspace = true }
//- /tools/cli/src/main.rs
fn main() {}
"#,
    );
    let mut names: Vec<(&str, &str, Edition)> = a
        .workspace
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.dir.as_str(), p.edition))
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            ("alpha", "crates/alpha", Edition::E2018),
            ("beta", "crates/beta", Edition::E2024),
            ("cli", "tools/cli", Edition::E2018),
            // Not a member, but still a crate (cargo builds it on its own): modelled with its
            // own edition and targets, so its files are parsed right and reached.
            ("legacy", "crates/legacy", Edition::E2015),
        ]
    );
    assert_eq!(module(&a, "crates/alpha/src/m.rs"), "crate::m");
    assert_eq!(
        file(&a, "crates/alpha/src/m.rs").meta.crate_name.as_deref(),
        Some("alpha")
    );
    assert_eq!(
        file(&a, "crates/alpha/src/m.rs").meta.edition,
        Edition::E2018
    );
    assert_eq!(reached_by(&a, "tools/cli/src/main.rs"), ["cli/bin:cli"]);
    assert_eq!(
        reached_by(&a, "crates/legacy/src/lib.rs"),
        ["legacy/lib:legacy"]
    );
    // From inside a member, the root is still the workspace.
    let engine = loader::engine_for(Config::default(), &Selection::default());
    let sub = loader::analyse_path(&_d.path().join("crates/alpha"), &engine);
    assert_eq!(sub.root, std::fs::canonicalize(_d.path()).unwrap());
    assert_eq!(
        loader::find_root(&_d.path().join("crates/legacy/src/lib.rs")),
        std::fs::canonicalize(_d.path().join("crates/legacy")).unwrap()
    );
}

#[test]
fn edition_from_the_workspace_reaches_the_parser() {
    // `try!` is a macro call in 2015 and a syntax error (reserved keyword) in 2018+.
    let code = "fn read() -> Result<u8, ()> {\n    let x = try!(Ok(1));\n    Ok(x)\n}\n\
                pub fn async(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8, g: u8, h: u8) {}\n\
                pub static mut X: u8 = 0;\n";
    let (_d, a) = analyse(&format!(
        r#"
//- /Cargo.toml
[workspace]
members = ["old", "new"]
[workspace.package]
edition = "2015"
//- /old/Cargo.toml
[package]
name = "old"
version = "0.1.0"
edition.workspace = true
//- /old/src/lib.rs
{code}
//- /new/Cargo.toml
[package]
name = "new"
version = "0.1.0"
edition = "2021"
//- /new/src/lib.rs
{code}
"#
    ));
    let old = file(&a, "old/src/lib.rs");
    assert_eq!(old.meta.edition, Edition::E2015);
    assert_eq!(
        syntax::parse(code, old.meta.edition).error_count(),
        0,
        "2015 code with try! parses cleanly"
    );
    assert_eq!(old.summary.syntax_errors, 0);
    let new = file(&a, "new/src/lib.rs");
    assert_eq!(new.meta.edition, Edition::E2021);
    assert!(
        syntax::parse(code, new.meta.edition).error_count() > 0,
        "try! is reserved in 2021"
    );
    // The engine parses with that edition: `async` is a name in 2015 only, so only there is
    // `fn async(..)` a function with a name to report.
    let findings = |rel: &str| -> Vec<String> {
        let fs = &a.findings.iter().find(|(f, _)| f == rel).unwrap().1;
        fs.iter()
            .map(|f| format!("{} {}", f.rule, f.message))
            .collect()
    };
    assert_eq!(
        findings("old/src/lib.rs"),
        [
            "too-many-params `async` takes 8 parameters (more than 7)",
            "static-mut `static mut X: u8` is global mutable state without synchronisation"
        ]
    );
    assert_eq!(
        findings("new/src/lib.rs"),
        ["static-mut `static mut X: u8` is global mutable state without synchronisation"]
    );
    // A package without `edition` is 2015, as cargo has it.
    let (_d, a) = analyse(&format!(
        "//- /Cargo.toml\n[package]\nname = \"p\"\nversion = \"0.1.0\"\n//- /src/lib.rs\n{code}"
    ));
    let lib = file(&a, "src/lib.rs");
    assert_eq!(lib.meta.edition, Edition::E2015);
    let rules: Vec<&str> = a.findings[0].1.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["too-many-params", "static-mut"]);
}

#[test]
fn files_no_module_tree_reaches_are_still_analysed() {
    let (_d, a) = analyse(&format!(
        r#"
//- /Cargo.toml
{PKG}
//- /src/lib.rs
mod used;
//- /src/used.rs
pub fn f() {{}}
//- /src/orphan.rs
pub static mut ORPHAN: u8 = 0;
//- /src/old/stale.rs
pub fn g() {{}}
//- /scripts/gen.rs
fn main() {{}}
"#
    ));
    assert_eq!(reached_by(&a, "src/used.rs"), ["app/lib:app"]);
    for rel in ["src/orphan.rs", "src/old/stale.rs", "scripts/gen.rs"] {
        assert!(!file(&a, rel).reached(), "{rel}");
    }
    // A layout guess for the module path of files no tree reaches.
    assert_eq!(module(&a, "src/orphan.rs"), "crate::orphan");
    assert_eq!(module(&a, "src/old/stale.rs"), "crate::old::stale");
    let orphan = a
        .findings
        .iter()
        .find(|(f, _)| f == "src/orphan.rs")
        .unwrap();
    assert_eq!(
        orphan.1.iter().map(|f| f.rule).collect::<Vec<_>>(),
        ["static-mut"]
    );
}

#[test]
fn loose_files_and_ignored_directories() {
    let (d, a) = analyse(
        r#"
//- /a.rs
mod b;
//- /b.rs
pub fn b() {}
//- /sub/c.rs
pub fn c() {}
//- /target/debug/build/out.rs
pub fn generated() {}
//- /vendor/skipme.rs
pub fn v() {}
//- /.hidden/h.rs
pub fn h() {}
"#,
    );
    write(d.path(), ".gitignore", "vendor/\n");
    let engine = loader::engine_for(Config::default(), &Selection::default());
    let a2 = loader::analyse_path(d.path(), &engine);
    let mut files: Vec<&str> = a2
        .workspace
        .files
        .iter()
        .map(|f| f.meta.rel_path.as_str())
        .collect();
    files.sort();
    assert_eq!(files, ["a.rs", "b.rs", "sub/c.rs"]);
    assert!(a2.workspace.packages.is_empty());
    for f in &a2.workspace.files {
        assert_eq!(f.meta.target, TargetKind::Loose, "{}", f.meta.rel_path);
        assert!(f.meta.crate_name.is_none());
    }
    // Without the .gitignore, vendor/ is walked (target/ and hidden directories never are).
    assert!(a.workspace.file("vendor/skipme.rs").is_some());
    assert!(a.workspace.file("target/debug/build/out.rs").is_none());
    assert!(a.workspace.file(".hidden/h.rs").is_none());
}

#[test]
fn include_and_exclude_from_the_config() {
    let (d, _) = analyse(&format!(
        r#"
//- /Cargo.toml
{PKG}
//- /src/lib.rs
mod generated;
pub static mut A: u8 = 0;
//- /src/generated/mod.rs
pub static mut B: u8 = 0;
//- /other/x.rs
pub static mut C: u8 = 0;
"#
    ));
    let metas = boundary_lsp::analysis::rules::metas();
    let config = Config::parse(
        "include = [\"src/**\"]\nexclude = [\"**/generated/**\"]\n",
        Path::new("boundary.toml"),
        &metas,
    )
    .unwrap();
    let engine = loader::engine_for(config, &Selection::default());
    let a = loader::analyse_path(d.path(), &engine);
    let files: Vec<&str> = a
        .findings
        .iter()
        .filter(|(_, f)| !f.is_empty())
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(files, ["src/lib.rs"]);
}

#[test]
fn path_attribute_cycles_terminate() {
    let (_d, a) = analyse(&format!(
        r#"
//- /Cargo.toml
{PKG}
//- /src/lib.rs
#[path = "a.rs"]
mod a;
//- /src/a.rs
#[path = "lib.rs"]
mod back;
"#
    ));
    assert_eq!(module(&a, "src/a.rs"), "crate::a");
    assert_eq!(module(&a, "src/lib.rs"), "crate");
}

#[test]
fn excluded_and_non_member_packages_keep_their_edition() {
    let (d, a) = analyse(
        r#"
//- /Cargo.toml
[workspace]
members = ["app"]
exclude = ["vendor/old"]
//- /app/Cargo.toml
[package]
name = "app"
version = "0.1.0"
edition = "2021"
//- /app/src/lib.rs
pub fn f() {}
//- /vendor/old/Cargo.toml
[package]
name = "old"
version = "0.1.0"
//- /vendor/old/src/lib.rs
mod m;
fn g() -> Result<u8, ()> { let x = try!(Ok(1)); Ok(x) }
//- /vendor/old/src/m.rs
pub fn h() {}
"#,
    );
    let old = file(&a, "vendor/old/src/lib.rs");
    assert_eq!(old.meta.edition, Edition::E2015);
    assert_eq!(old.summary.syntax_errors, 0);
    assert_eq!(reached_by(&a, "vendor/old/src/m.rs"), ["old/lib:old"]);
    // The excluded crate is its own root when checked directly.
    let root = std::fs::canonicalize(d.path()).unwrap();
    assert_eq!(
        loader::find_root(&root.join("vendor/old/src/m.rs")),
        root.join("vendor/old")
    );
    assert_eq!(loader::find_root(&root.join("app/src/lib.rs")), root);
}

#[test]
fn target_paths_outside_the_package_directory() {
    // As this repository does: `[[test]] path = "../tests/e2e/cli.rs"` in `server/Cargo.toml`.
    let (_d, a) = analyse(
        r#"//- /Cargo.toml
[workspace]
members = ["server"]
//- /server/Cargo.toml
[package]
name = "server"
version = "0.1.0"
edition = "2021"

[[test]]
name = "cli"
path = "../tests/e2e/cli.rs"
//- /server/src/lib.rs
pub fn f() {}
//- /tests/e2e/cli.rs
mod common;
//- /tests/e2e/common.rs
pub fn helper() {}
"#,
    );
    assert_eq!(reached_by(&a, "tests/e2e/cli.rs"), vec!["server/test:cli"]);
    assert_eq!(
        reached_by(&a, "tests/e2e/common.rs"),
        vec!["server/test:cli"]
    );
    assert_eq!(
        file(&a, "tests/e2e/common.rs").meta.target,
        TargetKind::Test
    );
}
