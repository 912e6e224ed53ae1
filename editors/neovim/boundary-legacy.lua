-- boundary-lsp for Neovim 0.7 - 0.10 without nvim-lspconfig (0.11+: use editors/neovim/boundary.lua).
--
-- Install: save this file as ~/.config/nvim/plugin/boundary.lua (or paste it into init.lua / `luafile` it).
-- Needs `boundary-lsp` on PATH (else put its full path in `cmd`). Runs next to rust-analyzer.
local cmd = { 'boundary-lsp', 'server' }
local markers = { 'boundary.toml', 'Cargo.lock', '.git', 'Cargo.toml' }
local settings = { boundary = { diagnostics = { scope = 'open' }, codeLens = { enable = false } } }

local function root_for(buf)
  local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':p:h')
  for _, m in ipairs(markers) do
    local f = vim.fn.findfile(m, dir .. ';')
    if f ~= '' then return vim.fn.fnamemodify(f, ':p:h') end
    local d = vim.fn.finddir(m, dir .. ';')
    if d ~= '' then return vim.fn.fnamemodify(d, ':p:h:h') end
  end
  return dir
end

local clients = {} -- root -> client id (0.7 has no vim.lsp.start to reuse clients)

local function attach(buf)
  local root = root_for(buf)
  local config = {
    name = 'boundary',
    cmd = cmd,
    root_dir = root,
    init_options = settings.boundary,
    settings = settings,
  }
  if vim.lsp.start then -- 0.8+: reuses a running client with the same name and root
    vim.lsp.start(config)
    return
  end
  local id = clients[root]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(buf, id) end
end

vim.api.nvim_create_autocmd('FileType', {
  group = vim.api.nvim_create_augroup('boundary_lsp', { clear = true }),
  pattern = 'rust',
  callback = function(args) attach(args.buf) end,
})
