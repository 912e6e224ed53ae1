//! The command line: `check`, `graph`, `rules`, and starting the server. A thin adapter over
//! [`crate::analysis`]; its only public item is [`main`].

mod baseline;
mod check;
mod diff_base;
mod formats;
mod graph;
mod output;

use clap::{Parser, Subcommand};

/// Parses the command line and runs the command; returns the process exit code.
pub fn main() -> i32 {
    let args = Cli::parse();
    match args.command {
        None | Some(Command::Server { .. }) => crate::lsp::run(),
        Some(Command::Check(a)) => {
            init_logging();
            check::run(&a)
        }
        Some(Command::Graph(a)) => {
            init_logging();
            graph::run(&a)
        }
        Some(Command::Rules { id, write_docs }) => rules(id.as_deref(), write_docs.as_deref()),
    }
}

/// Logs to stderr when `BOUNDARY_LOG` is set (a `tracing` filter, as for the server:
/// `BOUNDARY_LOG=boundary_lsp=debug`); nothing is logged otherwise.
fn init_logging() {
    let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("BOUNDARY_LOG") else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// boundary-lsp: architecture and design review for Rust, in your editor and in CI.
#[derive(Parser, Debug)]
#[command(name = "boundary-lsp", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Start the language server over stdio (what `vscode-languageclient` passes).
    #[arg(long, global = false)]
    pub stdio: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the language server over stdio (the default).
    Server {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Analyse a workspace, a folder or a file once and print the findings.
    Check(check::CheckArgs),
    /// Draw the module (or crate) dependency graph: DOT, Mermaid or a self-contained HTML page.
    Graph(graph::GraphArgs),
    /// List the rules, or show one rule's documentation.
    Rules {
        /// A rule id.
        id: Option<String>,
        /// Print the catalog as markdown files into this directory (used for `docs/rules/`).
        #[arg(long, value_name = "DIR")]
        write_docs: Option<std::path::PathBuf>,
    },
}

/// Runs the `rules` command.
pub fn rules(id: Option<&str>, write_docs: Option<&std::path::Path>) -> i32 {
    use crate::analysis::rules;
    if let Some(dir) = write_docs {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("error: cannot create {}: {e}", dir.display());
            return 2;
        }
        let mut index =
            String::from("# Rules\n\n| rule | category | default | summary |\n|---|---|---|---|\n");
        for m in rules::metas() {
            index.push_str(&format!(
                "| [`{}`]({}.md) | {} | {}{} | {} |\n",
                m.id,
                m.id,
                m.category.as_str(),
                m.default_severity.as_str(),
                if m.default_enabled { "" } else { " (off)" },
                m.summary.replace('|', "\\|")
            ));
            if let Err(e) = std::fs::write(dir.join(format!("{}.md", m.id)), m.markdown()) {
                eprintln!("error: cannot write {}: {e}", dir.display());
                return 2;
            }
        }
        if let Err(e) = std::fs::write(dir.join("README.md"), index) {
            eprintln!("error: cannot write {}: {e}", dir.display());
            return 2;
        }
        return 0;
    }
    match id {
        Some(id) => match rules::meta(id) {
            Some(m) => {
                print!("{}", m.markdown());
                0
            }
            None => {
                eprintln!("error: unknown rule `{id}` (run `boundary-lsp rules` for the list)");
                2
            }
        },
        None => {
            let metas = rules::metas();
            let w = metas.iter().map(|m| m.id.len()).max().unwrap_or(10);
            println!(
                "{:<w$}  {:<9}  {:<8}  {:<3}  SUMMARY",
                "RULE", "CATEGORY", "SEVERITY", "FIX"
            );
            for m in metas {
                println!(
                    "{:<w$}  {:<9}  {:<8}  {:<3}  {}{}",
                    m.id,
                    m.category.as_str(),
                    m.default_severity.as_str(),
                    if m.fixable { "yes" } else { "" },
                    if m.default_enabled {
                        ""
                    } else {
                        "(off by default) "
                    },
                    m.summary
                );
            }
            println!("\n`boundary-lsp rules <id>` shows a rule's docs and config keys.");
            0
        }
    }
}
