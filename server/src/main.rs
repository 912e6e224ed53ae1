use clap::Parser;

use boundary_lsp::cli::{self, Cli, Command};

fn main() {
    let args = Cli::parse();
    let code = match args.command {
        None | Some(Command::Server { .. }) => boundary_lsp::lsp::run(),
        Some(Command::Check(a)) => cli::check::run(&a),
        Some(Command::Graph(a)) => cli::graph::run(&a),
        Some(Command::Rules { id, write_docs }) => cli::rules(id.as_deref(), write_docs.as_deref()),
    };
    std::process::exit(code);
}
