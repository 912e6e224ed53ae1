-- Headless Neovim test (0.7 and 0.11). Runs AFTER one of the shipped configs in editors/neovim/ has been
-- sourced: opens the demo file (the config's FileType hook starts `boundary-lsp`), waits for the
-- `static-mut` diagnostic, applies "Allow `static-mut` on this line", checks the text, saves, and waits
-- for the diagnostic to go away. Writes a JSON result; exits non-zero (cquit) on failure.
-- Env: BOUNDARY_TEST_FILE, BOUNDARY_TEST_OUT, BOUNDARY_TEST_TIMEOUT_MS
local uv = vim.uv or vim.loop
local t0 = uv.hrtime()
local file = assert(os.getenv('BOUNDARY_TEST_FILE'), 'BOUNDARY_TEST_FILE not set')
local out_path = os.getenv('BOUNDARY_TEST_OUT') or 'nvim-result.json'
local TIMEOUT = tonumber(os.getenv('BOUNDARY_TEST_TIMEOUT_MS') or '30000')
local TITLE = 'Allow `static-mut` on this line'
local ALLOW = '// boundary: allow(static-mut)'
local STATIC = 'pub static mut COUNTER: u32 = 0;'

local v = vim.version()
local R = { nvim = v.major .. '.' .. v.minor .. '.' .. v.patch, steps = {} }
local function ms() return math.floor((uv.hrtime() - t0) / 1e6) end
local function step(name, extra) table.insert(R.steps, { name = name, t_ms = ms(), extra = extra }) end
local function finish(ok, err)
  R.ok = ok; R.error = err; R.elapsed_ms = ms()
  local f = assert(io.open(out_path, 'w')); f:write(vim.fn.json_encode(R)); f:close()
  io.stderr:write((ok and 'PASS' or 'FAIL') .. ' nvim ' .. R.nvim .. ' ' .. (err or '') .. ' (' .. R.elapsed_ms .. ' ms)\n')
  if ok then vim.cmd('qa!') else vim.cmd('cquit 1') end
end

local function boundary_clients(buf)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local res = {}
  for _, c in ipairs(get({ bufnr = buf })) do if c.name == 'boundary' then table.insert(res, c) end end
  return res
end

local function code_of(d)
  local lsp = d.user_data and d.user_data.lsp
  return d.code or (lsp and lsp.code)
end

local function static_mut_diags(buf)
  local res = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == 'static-mut' and d.source == 'boundary' then table.insert(res, d) end
  end
  return res
end

local function main()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  R.filetype = vim.bo[buf].filetype

  if not vim.wait(TIMEOUT, function() return #boundary_clients(buf) > 0 end, 20) then
    return finish(false, 'no `boundary` client attached (filetype=' .. R.filetype .. ')')
  end
  local client = boundary_clients(buf)[1]
  step('client_attached', { root = client.config.root_dir })

  -- 1. the boundary diagnostic
  if not vim.wait(TIMEOUT, function() return #static_mut_diags(buf) > 0 end, 20) then
    R.diagnostics = vim.tbl_map(function(d) return { msg = d.message, code = code_of(d), source = d.source } end,
      vim.diagnostic.get(buf))
    return finish(false, 'no static-mut diagnostic from source boundary within ' .. TIMEOUT .. ' ms')
  end
  local d = static_mut_diags(buf)[1]
  R.diagnostic = { lnum = d.lnum, message = d.message }
  step('diagnostic', R.diagnostic)
  if vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] ~= STATIC then
    return finish(false, 'diagnostic on the wrong line ' .. d.lnum)
  end
  if not d.message:find('static mut', 1, true) then return finish(false, 'unexpected message: ' .. d.message) end

  -- 2. the code actions at that line, with the diagnostic in the context (as the editor sends them).
  -- 0.11 keeps the whole LSP diagnostic in user_data.lsp; 0.7 keeps only code/data/tags there.
  local enc = client.offset_encoding or 'utf-16'
  local lsp_diag = vim.tbl_extend('force', {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col } },
    message = d.message, severity = d.severity, source = d.source, code = code_of(d),
  }, (d.user_data and d.user_data.lsp) or {})
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, TIMEOUT) or {}
  local action
  R.code_actions = {}
  for _, r in pairs(res) do
    if r.err or r.error then R.code_action_error = vim.inspect(r.err or r.error) end
    for _, a in ipairs(r.result or {}) do
      table.insert(R.code_actions, a.title)
      if a.title == TITLE then action = a end
    end
  end
  step('code_actions', R.code_actions)
  if not action then return finish(false, 'no "' .. TITLE .. '" code action') end
  if not action.edit and not action.command then -- lazily resolved action
    local rr = client.request_sync('codeAction/resolve', action, TIMEOUT, buf)
    action = (rr and rr.result) or action
  end

  -- 3. apply it, as the editor does
  if action.edit then vim.lsp.util.apply_workspace_edit(action.edit, enc) end
  if action.command then
    local cmd = type(action.command) == 'table' and action.command or action
    client.request_sync('workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments }, TIMEOUT, buf)
  end
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local idx
  for i, l in ipairs(lines) do if l == STATIC then idx = i end end
  R.after = lines
  if not idx or lines[idx - 1] ~= ALLOW then return finish(false, 'allow comment not inserted above the static') end
  step('edit_applied')
  vim.cmd('silent write')

  -- 4. the server re-analyses the edited text: the finding is gone
  if not vim.wait(TIMEOUT, function() return #static_mut_diags(buf) == 0 end, 20) then
    return finish(false, 'static-mut diagnostic still shown after the allow comment')
  end
  step('diagnostic_cleared')
  vim.lsp.stop_client(client.id)
  finish(true)
end

local ok, err = pcall(main)
if not ok then finish(false, 'lua error: ' .. tostring(err)) end
