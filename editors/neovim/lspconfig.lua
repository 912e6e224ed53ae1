-- boundary-lsp for nvim-lspconfig users (Neovim 0.8+). nvim-lspconfig has no built-in entry for it, so this
-- registers one, then sets it up next to rust-analyzer.
--
-- Install: paste into init.lua after nvim-lspconfig is loaded (or save as ~/.config/nvim/after/plugin/boundary.lua).
-- Needs `boundary-lsp` on PATH (else put its full path in `cmd`).
local configs = require('lspconfig.configs')
local util = require('lspconfig.util')

if not configs.boundary then
  configs.boundary = {
    default_config = {
      cmd = { 'boundary-lsp', 'server' },
      filetypes = { 'rust' },
      root_dir = util.root_pattern('boundary.toml', 'Cargo.lock', '.git', 'Cargo.toml'),
      init_options = { diagnostics = { scope = 'open' }, codeLens = { enable = false } },
      settings = { boundary = { diagnostics = { scope = 'open' }, codeLens = { enable = false } } },
    },
    docs = { description = 'boundary-lsp: architecture and design findings for Rust code.' },
  }
end

require('lspconfig').boundary.setup({})
