-- boundary-lsp for Neovim 0.11+ (built-in vim.lsp.config / vim.lsp.enable), running next to rust-analyzer.
--
-- Install: save this file as ~/.config/nvim/plugin/boundary.lua (or paste it into init.lua).
-- Needs `boundary-lsp` on PATH (else put its full path in `cmd`).
-- Older Neovim: editors/neovim/boundary-legacy.lua; nvim-lspconfig users: editors/neovim/lspconfig.lua.
vim.lsp.config('boundary', {
  cmd = { 'boundary-lsp', 'server' },
  filetypes = { 'rust' },
  -- the first marker found wins: boundary.toml / Cargo.lock sit at the Cargo workspace root
  root_markers = { 'boundary.toml', 'Cargo.lock', '.git', 'Cargo.toml' },
  -- the same settings are sent at start-up and answered to workspace/configuration (section "boundary")
  init_options = {
    -- configPath = 'boundary.toml',
    diagnostics = { scope = 'open' }, -- 'open' | 'workspace'
    codeLens = { enable = false },
  },
  settings = {
    boundary = {
      diagnostics = { scope = 'open' },
      codeLens = { enable = false },
    },
  },
})
vim.lsp.enable('boundary')
