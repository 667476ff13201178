-- Driven by scripts/check-neovim.sh inside `nvim --headless` (Neovim 0.7+): a real
-- editor's LSP client against `dockwright server`. Environment: DOCKWRIGHT (the
-- binary), DOCKERFILE_A and DOCKERFILE_B (two copies of one Dockerfile), EXPECTED
-- (what `dockwright fix -` prints for it). Exits 0 when both saved buffers equal
-- EXPECTED; otherwise prints why and exits 1.

local binary = os.getenv("DOCKWRIGHT")
local expected_path = os.getenv("EXPECTED")

local function fail(message)
  io.stderr:write("check-neovim: " .. message .. "\n")
  vim.cmd("cquit 1")
end

local function note(message)
  io.stdout:write("check-neovim: " .. message .. "\n")
end

local function read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

-- Neovim 0.8 renamed formatting_sync to format.
local function format_now(buffer)
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = buffer, async = false, timeout_ms = 10000 })
  else
    vim.lsp.buf.formatting_sync(nil, 10000)
  end
end

local function open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buffer = vim.api.nvim_get_current_buf()
  vim.bo[buffer].filetype = "dockerfile"
  vim.api.nvim_create_autocmd("BufWritePre", { buffer = buffer, callback = function() format_now(buffer) end })
  return buffer
end

local client_id = vim.lsp.start_client({
  name = "dockwright",
  cmd = { binary, "server", "--stdio" },
  root_dir = vim.fn.fnamemodify(os.getenv("DOCKERFILE_A"), ":h"),
  -- Send every change at once, so each request sees the text it is about.
  flags = { debounce_text_changes = 0 },
})
if not client_id then fail("the server did not start") end
local client = vim.lsp.get_client_by_id(client_id)

local function code_actions(buffer, range, only)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buffer) },
    range = range,
    context = { diagnostics = {}, only = only },
  }
  local response = client.request_sync("textDocument/codeAction", params, 10000, buffer)
  if not response or response.err then fail("codeAction failed: " .. vim.inspect(response)) end
  return response.result or {}
end

-- As Neovim's own code action menu does: an action without edits is resolved first.
local function edit_of(buffer, action)
  if action.edit then return action.edit end
  local response = client.request_sync("codeAction/resolve", action, 10000, buffer)
  if not response or response.err or not response.result.edit then
    fail("codeAction/resolve failed: " .. vim.inspect(response))
  end
  return response.result.edit
end

local function wait_for_diagnostics(buffer)
  local received = vim.wait(10000, function() return #vim.diagnostic.get(buffer) > 0 end, 10)
  if not received then fail("no diagnostics arrived for " .. vim.api.nvim_buf_get_name(buffer)) end
  return vim.diagnostic.get(buffer)
end

local function main()
-- A: diagnostics, one quick fix, the fix-all action, then format on save.
local a = open(os.getenv("DOCKERFILE_A"))
vim.lsp.buf_attach_client(a, client_id)
local diagnostics = wait_for_diagnostics(a)
note(#diagnostics .. " diagnostics received")
for _, diagnostic in ipairs(diagnostics) do
  if diagnostic.source ~= "dockwright" then fail("a diagnostic without source dockwright") end
end

local quick_fix
for _, diagnostic in ipairs(diagnostics) do
  local line = diagnostic.lnum
  local range = { start = { line = line, character = 0 }, ["end"] = { line = line + 1, character = 0 } }
  for _, action in ipairs(code_actions(a, range, { "quickfix" })) do
    if action.isPreferred then
      quick_fix = action
      break
    end
  end
  if quick_fix then break end
end
if not quick_fix then fail("no preferred quick fix was offered") end
vim.lsp.util.apply_workspace_edit(edit_of(a, quick_fix), client.offset_encoding)
note("applied the quick fix: " .. quick_fix.title)

local last = vim.api.nvim_buf_line_count(a)
local whole = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } }
local fix_all
for _, action in ipairs(code_actions(a, whole, { "source.fixAll" })) do
  if action.kind == "source.fixAll.dockwright.unsafe" then fail("source.fixAll offered the unsafe fixes") end
  if action.kind == "source.fixAll.dockwright" then fix_all = action end
end
if not fix_all then fail("no source.fixAll.dockwright action was offered") end
vim.lsp.util.apply_workspace_edit(edit_of(a, fix_all), client.offset_encoding)
note("applied the fix-all action")
vim.cmd("write")

-- B: the untouched copy, fixed by format on save alone.
local b = open(os.getenv("DOCKERFILE_B"))
vim.lsp.buf_attach_client(b, client_id)
wait_for_diagnostics(b)
vim.cmd("write")

local expected = read(expected_path)
for _, path in ipairs({ os.getenv("DOCKERFILE_A"), os.getenv("DOCKERFILE_B") }) do
  if read(path) ~= expected then
    fail(path .. " differs from `dockwright fix -`:\n" .. read(path))
  end
end
note("both saved buffers equal `dockwright fix -`")
end

-- Any Lua error ends Neovim with a failure instead of leaving it waiting.
local ok, problem = pcall(main)
if not ok then fail(tostring(problem)) end
vim.cmd("qall!")
