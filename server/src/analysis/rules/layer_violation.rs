//! `layer-violation`: a `use` or path that breaks the architecture declared in `boundary.toml`
//! (`[[layers]]`, `[[forbid]]`, `[[independent]]`), and `Cargo.toml` dependencies that break a
//! crate-level `[[forbid]]` or layer order between workspace crates.

use crate::analysis::config::CONFIG_FILE;
use crate::analysis::engine::{WorkspaceCx, WorkspaceSink};
use crate::analysis::graph::{Architecture, Violation};
use crate::analysis::rule::{Category, Finding, Related, Rule, RuleDocs, RuleMeta, Severity};
use crate::analysis::syntax::TextRange;

pub(crate) struct LayerViolation;

pub static META: RuleMeta = RuleMeta {
    id: "layer-violation",
    category: Category::Layers,
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "A dependency the architecture in `boundary.toml` forbids (layers, forbid, independent).",
    options: &[],
    docs: RuleDocs {
        what: "A `use` or a path in code that reaches a module the declared architecture does not allow: a \
               module of a lower `[[layers]]` entry using a higher one, an edge a `[[forbid]]` entry names \
               (modules of the workspace, or external crates by name), or two modules of an \
               `[[independent]]` entry using each other. Between workspace crates, the same rules are \
               checked on `Cargo.toml` dependencies. Paths are resolved syntactically (`crate::`, `self::`, \
               `super::`, child modules, workspace crates, declared dependencies); a module using its own \
               ancestors or descendants is never a violation. Module patterns match the module and \
               everything inside it; `crate::x` means `x` in every crate, `*` matches one path segment \
               (or part of it), `**` any number of segments.",
        why: "Architecture that is only written down drifts: one convenient import from the domain into the web \
              layer is how a codebase stops being layered. Checked while you type, the rule costs nothing to \
              follow; checked in CI, it cannot silently erode.",
        example: "# boundary.toml\n[[layers]]\nname = \"app\"\nmodules = [\"crate::cli\"]\n[[layers]]\nname = \"core\"\nmodules = [\"crate::analysis\"]\n\n// src/analysis/engine.rs\nuse crate::cli::output;   // core may not use app",
        instead: "Move the code the lower layer needs down into it (or into a layer below both), or invert the \
                  dependency: the lower layer defines a trait, the higher layer implements it and passes it \
                  down. Change `boundary.toml` when the architecture itself changes.",
    },
    fixable: false,
};

impl Rule for LayerViolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn uses_graph(&self) -> bool {
        true
    }

    fn check_workspace(&self, cx: &WorkspaceCx<'_>, out: &mut WorkspaceSink) {
        let Ok(arch) = Architecture::from_config(cx.config) else {
            return; // reported as a config error when the config is loaded
        };
        if arch.is_empty() {
            return;
        }
        let g = cx.graph();
        for e in &g.edges {
            let file = &cx.workspace.files[e.file].meta.rel_path;
            for v in arch.check_edge(g, e.from, &e.to) {
                out.report(file, finding(e.range, v));
            }
        }
        for e in &g.crate_edges {
            let pkg = &cx.workspace.packages[e.package];
            let Some(dep) = pkg.dependencies.iter().find(|d| d.crate_name == e.dep) else {
                continue;
            };
            for v in arch.check_crate_edge(g, e) {
                out.report(&pkg.manifest, finding(dep.range, v));
            }
        }
    }
}

fn finding(range: TextRange, v: Violation) -> Finding {
    Finding::new(&META, range, v.message)
        .suggestion("move the code down a layer, or invert the dependency with a trait the lower layer owns")
        .related(Related {
            file: Some(CONFIG_FILE.to_string()),
            range: TextRange::empty(0.into()),
            line: Some(v.line),
            message: v.entry,
        })
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixture::{analyse, check_with_config, parse_fixture};
    use crate::analysis::loader::Analysis;

    fn analyse_fixture(rule: &str, config: &str, fixture: &str) -> (tempfile::TempDir, Analysis) {
        analyse(rule, config, &parse_fixture(fixture).0)
    }

    const LAYERS: &str = r#"
[[layers]]
name = "app"
modules = ["crate::cli", "crate::server"]
[[layers]]
name = "domain"
modules = ["crate::domain"]
reason = "the domain knows nothing of its callers"
"#;

    #[test]
    fn upward_use_and_path() {
        check_with_config(
            "layer-violation",
            LAYERS,
            r#"
//- /src/lib.rs
pub mod cli;
pub mod domain;
mod util;
//- /src/cli.rs
use crate::domain::Item;
pub fn run() {}
//- /src/domain.rs
use crate::cli::run;
  //^^^^^^^^^^^^^^^ error: layer violation: `fixture::domain` (layer `domain`) uses `fixture::cli` (layer `app`); layer `domain` is below `app` and may not use it: the domain knows nothing of its callers
use crate::util;
pub struct Item;
pub fn go() {
    crate::cli::run();
  //^^^^^^^^^^^^^^^ error: layer violation: `fixture::domain` (layer `domain`) uses `fixture::cli` (layer `app`); layer `domain` is below `app` and may not use it: the domain knows nothing of its callers
    super::cli::run();
  //^^^^^^^^^^^^^^^ error: layer violation: `fixture::domain` (layer `domain`) uses `fixture::cli` (layer `app`); layer `domain` is below `app` and may not use it: the domain knows nothing of its callers
}
//- /src/util.rs
use crate::cli;
"#,
        );
    }

    #[test]
    fn downward_uses_tests_and_own_subtree_are_fine() {
        check_with_config(
            "layer-violation",
            LAYERS,
            r#"
//- /src/lib.rs
pub mod cli;
pub mod domain;
//- /src/cli/mod.rs
pub mod args;
use crate::domain::{self, Item};
use super::domain::model::*;
pub fn run() { domain::model::make(); }
//- /src/cli/args.rs
use super::run;
use crate::cli::run as again;
//- /src/domain/mod.rs
pub mod model;
pub struct Item;
#[cfg(test)]
mod tests {
    use crate::cli::run;
    #[test]
    fn t() { crate::cli::run(); }
}
//- /src/domain/model.rs
pub fn make() { let cli = 1; let _ = cli; }
"#,
        );
    }

    #[test]
    fn forbid_modules_and_external_crates() {
        check_with_config(
            "layer-violation",
            r#"
[[forbid]]
from = "crate::domain"
to = ["crate::infra", "tokio", "serde_json::value"]
reason = "the domain stays free of I/O"
"#,
            r#"
//- /Cargo.toml
[package]
name = "fixture"
edition = "2021"
[dependencies]
tokio = "1"
serde_json = "1"
//- /src/lib.rs
pub mod domain;
pub mod infra;
//- /src/infra.rs
use tokio::sync::Mutex;
pub fn save() {}
//- /src/domain.rs
use tokio::sync::Mutex;
  //^^^^^^^^^^^^^^^^^^ error: forbidden dependency: `fixture::domain` uses `tokio::sync::Mutex` (`crate::domain` may not use `tokio`): the domain stays free of I/O
use serde_json::Value;
pub fn f() {
    crate::infra::save();
  //^^^^^^^^^^^^^^^^^^ error: forbidden dependency: `fixture::domain` uses `fixture::infra` (`crate::domain` may not use `crate::infra`): the domain stays free of I/O
    serde_json::value::to_value(1);
  //^^^^^^^^^^^^^^^^^^^^^^^^^^^ error: forbidden dependency: `fixture::domain` uses `serde_json::value` (`crate::domain` may not use `serde_json::value`): the domain stays free of I/O
    serde_json::to_string(&1);
}
"#,
        );
    }

    #[test]
    fn independent_siblings() {
        check_with_config(
            "layer-violation",
            r#"
[[independent]]
modules = ["crate::plugins::*"]
"#,
            r#"
//- /src/lib.rs
pub mod plugins;
pub mod shared;
//- /src/plugins/mod.rs
pub mod a;
pub mod b;
pub use a::A;
//- /src/plugins/a.rs
use super::b::B;
  //^^^^^^^^^^^ error: independent modules: `fixture::plugins::a` uses `fixture::plugins::b`, but `fixture::plugins::a` and `fixture::plugins::b` are declared independent
use crate::shared::S;
pub struct A;
mod inner { use super::super::a::A; }
//- /src/plugins/b.rs
pub struct B;
//- /src/shared.rs
pub struct S;
"#,
        );
    }

    #[test]
    fn workspace_crates_in_code_and_cargo_toml() {
        let config = r#"
[[forbid]]
from = "my-core"
to = ["my-web"]
reason = "core is reused without the web"
"#;
        let fixture = r#"
//- /Cargo.toml
[workspace]
members = ["core", "web"]
//- /core/Cargo.toml
[package]
name = "my-core"
edition = "2021"
[dependencies]
my-web = { path = "../web" }
//- /core/src/lib.rs
pub fn f() { my_web::serve(); }
//- /web/Cargo.toml
[package]
name = "my-web"
edition = "2021"
[dependencies]
my-core = { path = "../core" }
//- /web/src/lib.rs
use my_core::f;
pub fn serve() {}
"#;
        let (_dir, a) = analyse_fixture("layer-violation", config, fixture);
        let got: Vec<String> = a
            .findings
            .iter()
            .flat_map(|(file, fs)| {
                fs.iter().map(move |f| {
                    format!(
                        "{file} {:?} {} [{}]",
                        f.range,
                        f.message,
                        f.related
                            .iter()
                            .map(|r| format!("{:?}:{:?} {}", r.file, r.line, r.message))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                })
            })
            .collect();
        let related = r#"[Some("boundary.toml"):Some(2) [[forbid]] from `my-core` to `my-web`]"#;
        assert_eq!(
            got,
            vec![
                format!("core/Cargo.toml 59..65 forbidden dependency: `my_core` uses `my_web` (`my-core` may not use `my-web`): core is reused without the web {related}"),
                format!("core/src/lib.rs 13..26 forbidden dependency: `my_core` uses `my_web` (`my-core` may not use `my-web`): core is reused without the web {related}"),
            ]
        );
    }

    #[test]
    fn related_information_points_at_the_layer_entry() {
        let (_dir, a) = analyse_fixture(
            "layer-violation",
            LAYERS,
            "//- /src/lib.rs\npub mod cli;\npub mod domain;\n//- /src/cli.rs\npub fn run() {}\n//- /src/domain.rs\nuse crate::cli::run;\n",
        );
        let (file, fs) = a.findings.iter().find(|(_, fs)| !fs.is_empty()).unwrap();
        assert_eq!(file, "src/domain.rs");
        assert_eq!(fs.len(), 1);
        let r = &fs[0].related[0];
        assert_eq!(
            (r.file.as_deref(), r.line, r.message.as_str()),
            (
                Some("boundary.toml"),
                Some(2),
                "layer `app` is declared above layer `domain` here"
            )
        );
    }
}
