//go:build unix

package main_test

// This file drives "nginxlint lsp" from a real language client: Neovim,
// headless (Debian's neovim package; its built-in LSP client). A Lua
// script opens a file whose proxy_pass has no scheme, waits for the
// finding, asks for the code actions at it, applies the fix, and waits
// for the finding to go; it writes what it saw to a JSON file that the
// test checks.

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// nvimScript works with Neovim 0.7 (Debian 12's: vim.lsp.start_client)
// and later (vim.lsp.start).
const nvimScript = `
local bin, file, out = os.getenv('NGINXLINT_BIN'), os.getenv('NGINXLINT_FILE'), os.getenv('NGINXLINT_OUT')
local obs = {}

local function codes(buf)
  local cs = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(cs, d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '')
  end
  return cs
end

local function finding(buf)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code == 'proxy-pass-scheme' then return d end
  end
end

local ok, err = pcall(function()
  local v = vim.version()
  obs.nvim = v.major .. '.' .. v.minor .. '.' .. v.patch
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local config = {name = 'nginxlint', cmd = {bin, 'lsp'}, root_dir = vim.fn.fnamemodify(file, ':p:h')}
  local id
  if vim.lsp.start then
    id = vim.lsp.start(config)
  else
    id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, id)
  end
  if not vim.wait(30000, function() return finding(buf) ~= nil end, 20) then
    error('no proxy-pass-scheme diagnostic; diagnostics: ' .. table.concat(codes(buf), ','))
  end
  local d = finding(buf)
  obs.diagnostic = {lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, message = d.message}
  local client = vim.lsp.get_client_by_id(id)
  obs.offset_encoding = client.offset_encoding

  local params = {
    textDocument = {uri = vim.uri_from_bufnr(buf)},
    range = {start = {line = d.lnum, character = d.col}, ['end'] = {line = d.end_lnum, character = d.end_col}},
    context = {diagnostics = {}},
  }
  local results = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 30000)
  local action
  obs.actions = {}
  for _, r in pairs(results or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(obs.actions, a.title)
      if not action and a.title:find('^Fix proxy%-pass%-scheme') then action = a end
    end
  end
  if not action then error('no fix action among the code actions') end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  obs.fixed_line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  if not vim.wait(30000, function() return finding(buf) == nil end, 20) then
    error('the proxy-pass-scheme diagnostic did not go')
  end
  obs.gone = true
  obs.left = codes(buf)
  obs.modified = vim.api.nvim_buf_get_option(buf, 'modified')
  vim.lsp.stop_client(id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
end)
if not ok then obs.error = tostring(err) end
vim.fn.writefile({vim.fn.json_encode(obs)}, out)
vim.cmd('qall!')
`

// nvimObservations is what the script writes.
type nvimObservations struct {
	Nvim       string `json:"nvim"`
	Error      string `json:"error"`
	Diagnostic struct {
		Lnum    int    `json:"lnum"`
		Col     int    `json:"col"`
		EndLnum int    `json:"end_lnum"`
		EndCol  int    `json:"end_col"`
		Message string `json:"message"`
	} `json:"diagnostic"`
	OffsetEncoding string   `json:"offset_encoding"`
	Actions        []string `json:"actions"`
	FixedLine      string   `json:"fixed_line"`
	Gone           bool     `json:"gone"`
	Left           []string `json:"left"`
	Modified       bool     `json:"modified"`
}

func TestNeovimLSP(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nvim is not installed; .ci/run installs Debian's neovim for this test")
		}
		t.Skip("nvim cannot run: not installed (apt-get install -y neovim); the test of nginxlint lsp with a real client is skipped")
	}
	if out, err := exec.Command(nvim, "--headless", "-u", "NONE", "-i", "NONE", "--version").CombinedOutput(); err != nil {
		t.Skipf("nvim cannot run (%v): %s; the test of nginxlint lsp with a real client is skipped", err, out)
	}
	bin := binary(t)

	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "nginx.conf")
	const text = "events {}\nhttp {\n    server {\n        listen 80;\n        location / {\n            proxy_pass 127.0.0.1:8000;\n        }\n    }\n}\n"
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "drive.lua")
	if err := os.WriteFile(script, []byte(nvimScript), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "observations.json")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile "+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NGINXLINT_BIN="+bin, "NGINXLINT_FILE="+conf, "NGINXLINT_OUT="+out,
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	output, err := cmd.CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("nvim did not finish in time:\n%s", output)
	}
	data, rerr := os.ReadFile(out)
	if rerr != nil {
		t.Fatalf("nvim wrote no observations (%v, %v):\n%s", rerr, err, output)
	}
	var obs nvimObservations
	if err := json.Unmarshal(data, &obs); err != nil {
		t.Fatalf("observations: %v\n%s", err, data)
	}
	t.Logf("Neovim %s, offset encoding %s, code actions %q", obs.Nvim, obs.OffsetEncoding, obs.Actions)
	if obs.Error != "" {
		t.Fatalf("the script failed: %s\nnvim's output:\n%s", obs.Error, output)
	}
	// Line 6, the argument 127.0.0.1:8000 (0-based line 5, columns 23
	// to 37).
	if d := obs.Diagnostic; d.Lnum != 5 || d.Col != 23 || d.EndLnum != 5 || d.EndCol != 37 || !strings.Contains(d.Message, "has no scheme") {
		t.Errorf("the diagnostic is at %d:%d-%d:%d (%q), want 5:23-5:37, about the missing scheme", d.Lnum, d.Col, d.EndLnum, d.EndCol, d.Message)
	}
	if !slices.ContainsFunc(obs.Actions, func(a string) bool { return strings.HasPrefix(a, "Ignore proxy-pass-scheme") }) {
		t.Errorf("no ignore action among %q", obs.Actions)
	}
	if want := "            proxy_pass http://127.0.0.1:8000;"; obs.FixedLine != want {
		t.Errorf("after the code action the line is %q, want %q", obs.FixedLine, want)
	}
	if !obs.Gone || slices.Contains(obs.Left, "proxy-pass-scheme") {
		t.Errorf("the finding did not go: left %q", obs.Left)
	}
	if !obs.Modified {
		t.Errorf("the buffer is not modified after the fix")
	}
	if got, _ := os.ReadFile(conf); string(got) != text {
		t.Errorf("the file on disk changed:\n%s", got)
	}
}
