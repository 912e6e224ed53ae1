fn main() {
    std::process::exit(boundary_lsp::cli::main());
}
