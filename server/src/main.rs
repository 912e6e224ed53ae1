fn main() {
    boundary_lsp::memory::no_huge_pages();
    std::process::exit(boundary_lsp::cli::main());
}
