package lsp

// Protocol-level tests: an in-memory client speaks JSON-RPC to Serve
// over a pipe, as an editor would over stdio.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/nginxlint/nginxlint/rules"
)

// client is a language client in the test.
type client struct {
	t     testing.TB
	conn  *jsonrpc2.Conn
	enc   encoding
	diags chan published
	shown chan protocol.ShowDocumentParams
	done  chan error
	// texts are the open documents' texts, as the client has them.
	texts    map[string]string
	versions map[string]int32
	// latest are the findings last published for each document.
	latest map[string][]diagnostic
}

// published is a publishDiagnostics notification. (glsp's
// IntegerOrString does not decode: its UnmarshalJSON has a value
// receiver.)
type published struct {
	URI         string       `json:"uri"`
	Version     *int32       `json:"version"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

// diagnostic is a published diagnostic, its code a string.
type diagnostic struct {
	Range    protocol.Range `json:"range"`
	Severity int            `json:"severity"`
	Code     string         `json:"code"`
	Source   string         `json:"source"`
	Message  string         `json:"message"`
	Related  []struct {
		Location protocol.Location `json:"location"`
		Message  string            `json:"message"`
	} `json:"relatedInformation"`
}

func (d diagnostic) String() string {
	r := d.Range
	return fmt.Sprintf("%s@%d:%d-%d:%d", d.Code, r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
}

// newClient starts a server and initializes it with capabilities
// (JSON); utf-8 is negotiated when they offer it.
func newClient(t testing.TB, capabilities string) *client {
	t.Helper()
	return startClient(t, capabilities, Options{Debounce: 5 * time.Millisecond})
}

// startClient starts a server with opt and initializes it.
func startClient(t testing.TB, capabilities string, opt Options) *client {
	t.Helper()
	// Two pipes, as the editor's to the server's stdin and back: the
	// kernel buffers them, as it does stdio.
	a, b := pipes(t)
	ctx, cancel := context.WithCancel(context.Background())
	c := &client{t: t, diags: make(chan published, 100), shown: make(chan protocol.ShowDocumentParams, 10),
		done: make(chan error, 1), texts: map[string]string{}, versions: map[string]int32{}, latest: map[string][]diagnostic{}}
	go func() { c.done <- Serve(ctx, a, rules.All(), opt) }()
	c.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(b, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(c.handle))
	t.Cleanup(func() {
		c.call("shutdown", nil, nil)
		c.conn.Notify(context.Background(), "exit", nil)
		select {
		case err := <-c.done:
			if err != nil {
				t.Errorf("Serve after shutdown and exit: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Serve did not return after exit")
		}
		cancel()
		c.conn.Close()
	})
	var res struct {
		Capabilities struct {
			PositionEncoding   string          `json:"positionEncoding"`
			CodeActionProvider json.RawMessage `json:"codeActionProvider"`
		} `json:"capabilities"`
	}
	c.call("initialize", json.RawMessage(`{"processId":null,"rootUri":null,"capabilities":`+capabilities+`}`), &res)
	switch res.Capabilities.PositionEncoding {
	case "utf-8":
		c.enc = utf8Bytes
	case "utf-16":
		c.enc = utf16
	default:
		t.Fatalf("positionEncoding %q", res.Capabilities.PositionEncoding)
	}
	c.notify("initialized", struct{}{})
	return c
}

// pipes returns the two ends of a pair of OS pipes.
func pipes(t testing.TB) (io.ReadWriteCloser, io.ReadWriteCloser) {
	r1, w1, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	return pipeEnd{r1, w2}, pipeEnd{r2, w1}
}

type pipeEnd struct {
	r, w *os.File
}

func (p pipeEnd) Read(b []byte) (int, error)  { return p.r.Read(b) }
func (p pipeEnd) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p pipeEnd) Close() error {
	p.w.Close()
	return p.r.Close()
}

// fullCaps is what a capable client (Neovim 0.10, VS Code) says.
const fullCaps = `{
	"general": {"positionEncodings": ["utf-8", "utf-16"]},
	"textDocument": {
		"hover": {"contentFormat": ["markdown", "plaintext"]},
		"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}},
		"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}
	},
	"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
	"window": {"showDocument": {"support": true}}
}`

func (c *client) handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	switch req.Method {
	case "textDocument/publishDiagnostics":
		var p published
		if err := json.Unmarshal(*req.Params, &p); err != nil {
			c.t.Errorf("publishDiagnostics: %v", err)
		}
		c.diags <- p
		return nil, nil
	case "window/showDocument":
		var p protocol.ShowDocumentParams
		if err := json.Unmarshal(*req.Params, &p); err != nil {
			c.t.Errorf("showDocument: %v", err)
		}
		c.shown <- p
		return protocol.ShowDocumentResult{Success: true}, nil
	case "client/registerCapability":
		return nil, nil
	}
	return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound}
}

func (c *client) call(method string, params, result any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.conn.Call(ctx, method, params, result); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) && !errors.Is(err, io.ErrClosedPipe) {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) open(path string) string {
	c.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.openText(path, string(data))
}

func (c *client) openText(path, text string) string {
	uri := uriOf(path)
	c.texts[uri], c.versions[uri] = text, 1
	c.notify("textDocument/didOpen", protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, LanguageID: "nginx", Version: 1, Text: text}})
	return uri
}

// change sends the document's whole new text.
func (c *client) change(uri, text string) {
	c.t.Helper()
	c.texts[uri] = text
	c.versions[uri]++
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": c.versions[uri]},
		"contentChanges": []any{map[string]any{"text": text}},
	})
}

// apply applies a workspace edit the way an editor does: the open
// documents change (and didChange says so).
func (c *client) apply(we *protocol.WorkspaceEdit) {
	c.t.Helper()
	if we == nil {
		c.t.Fatal("no edit")
	}
	for uri, edits := range we.Changes {
		text, ok := c.texts[uri]
		if !ok {
			c.t.Fatalf("edit of %s, which is not open", uri)
		}
		c.change(uri, applyEdits(c.t, text, edits, c.enc))
	}
}

func applyEdits(t testing.TB, text string, edits []protocol.TextEdit, enc encoding) string {
	t.Helper()
	ix := newLineIndex(text)
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{ix.offset(e.Range.Start, enc), ix.offset(e.Range.End, enc), e.NewText})
	}
	slices.SortFunc(spans, func(a, b span) int { return b.start - a.start })
	for _, s := range spans {
		text = text[:s.start] + s.text + text[s.end:]
	}
	return text
}

// waitDiags waits for findings published for uri that satisfy ok, and
// returns them.
func (c *client) waitDiags(uri string, what string, ok func([]diagnostic) bool) []diagnostic {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	last, seen := c.latest[uri]
	if seen && ok(last) {
		return last
	}
	for {
		select {
		case p := <-c.diags:
			c.latest[p.URI] = p.Diagnostics
			if p.URI != uri {
				continue
			}
			last = p.Diagnostics
			if ok(last) {
				return last
			}
		case <-deadline:
			c.t.Fatalf("%s: no diagnostics where %s; last published: %v", filepath.Base(uri), what, last)
		}
	}
}

func has(code string, line, start, end uint32) func([]diagnostic) bool {
	return func(ds []diagnostic) bool {
		for _, d := range ds {
			if d.Code == code && d.Range.Start.Line == line && d.Range.Start.Character == start && d.Range.End.Line == line && d.Range.End.Character == end {
				return true
			}
		}
		return false
	}
}

func hasCode(code string) func([]diagnostic) bool {
	return func(ds []diagnostic) bool {
		return slices.ContainsFunc(ds, func(d diagnostic) bool { return d.Code == code })
	}
}

func not(f func([]diagnostic) bool) func([]diagnostic) bool {
	return func(ds []diagnostic) bool { return !f(ds) }
}

// exampleTree copies the example (example/: the tree in etc/nginx, the
// apps' configurations in app/) to a new directory, its own repository,
// and returns the copy's nginx directory.
func exampleTree(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dst := dir
	src := filepath.Join("..", "..", "example")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(out, 0o755)
		case d.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, out)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "etc", "nginx")
}

func (c *client) codeActions(uri string, r protocol.Range) []protocol.CodeAction {
	c.t.Helper()
	var actions []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Range: r,
		Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}}}, &actions)
	return actions
}

func findAction(t *testing.T, actions []protocol.CodeAction, prefix string) protocol.CodeAction {
	t.Helper()
	for _, a := range actions {
		if strings.HasPrefix(a.Title, prefix) {
			return a
		}
	}
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Title)
	}
	t.Fatalf("no code action %q among %q", prefix, titles)
	return protocol.CodeAction{}
}

// In the example, shop.conf's "proxy_pass 127.0.0.1:8004;" (line 21,
// 0-based 20) has no scheme: the argument is at characters 19 to 33.
const schemeLine, schemeStart, schemeEnd = 20, 19, 33

func TestFixAction(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	uri := c.open(filepath.Join(root, "sites-available", "shop.conf"))
	ds := c.waitDiags(uri, "proxy-pass-scheme is reported", has("proxy-pass-scheme", schemeLine, schemeStart, schemeEnd))
	// A finding that needs another file (upstreams.conf) and the
	// manifest: the fastcgi_pass socket no backend listens on.
	if !has("backend-drift", 26, 21, 50)(ds) {
		t.Errorf("backend-drift of fastcgi_pass not reported at 27:22: %v", ds)
	}
	// The cursor at the start of the line, the client naming the
	// line's diagnostics (as Neovim does).
	var shown []protocol.Diagnostic
	for _, d := range ds {
		if d.Range.Start.Line == schemeLine {
			shown = append(shown, protocol.Diagnostic{Range: d.Range, Message: d.Message})
		}
	}
	var actions []protocol.CodeAction
	c.call("textDocument/codeAction", protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri},
		Range:   protocol.Range{Start: protocol.Position{Line: schemeLine}, End: protocol.Position{Line: schemeLine}},
		Context: protocol.CodeActionContext{Diagnostics: shown}}, &actions)
	findAction(t, actions, "Fix proxy-pass-scheme")
	if len(c.codeActions(uri, protocol.Range{Start: protocol.Position{Line: schemeLine}, End: protocol.Position{Line: schemeLine}})) != 1 {
		t.Errorf("code actions at the line's start without its diagnostics: want only Fix all")
	}

	r := protocol.Range{Start: protocol.Position{Line: schemeLine, Character: schemeStart}, End: protocol.Position{Line: schemeLine, Character: schemeStart}}
	fix := findAction(t, c.codeActions(uri, r), "Fix proxy-pass-scheme")
	if fix.Kind == nil || *fix.Kind != "quickfix" || len(fix.Diagnostics) != 1 {
		t.Errorf("fix action: %+v", fix)
	}
	c.apply(fix.Edit)
	if !strings.Contains(c.texts[uri], "proxy_pass http://127.0.0.1:8004;") {
		t.Fatalf("after the fix:\n%s", c.texts[uri])
	}
	c.waitDiags(uri, "proxy-pass-scheme is gone", not(hasCode("proxy-pass-scheme")))
}

func TestIgnoreAction(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	uri := c.open(filepath.Join(root, "sites-available", "shop.conf"))
	c.waitDiags(uri, "proxy-pass-scheme is reported", hasCode("proxy-pass-scheme"))
	r := protocol.Range{Start: protocol.Position{Line: schemeLine, Character: schemeStart + 2}, End: protocol.Position{Line: schemeLine, Character: schemeStart + 4}}
	ignore := findAction(t, c.codeActions(uri, r), "Ignore proxy-pass-scheme")
	c.apply(ignore.Edit)
	lines := strings.Split(c.texts[uri], "\n")
	want := "        # nginxlint:ignore proxy-pass-scheme " + reasonPlaceholder
	if lines[schemeLine] != want || strings.TrimSpace(lines[schemeLine+1]) != "proxy_pass 127.0.0.1:8004;" {
		t.Fatalf("after the ignore action, lines %d-%d are\n%s\n%s\nwant\n%s", schemeLine+1, schemeLine+2, lines[schemeLine], lines[schemeLine+1], want)
	}
	c.waitDiags(uri, "proxy-pass-scheme is suppressed", func(ds []diagnostic) bool {
		return !hasCode("proxy-pass-scheme")(ds) && !hasCode("nginxlint-ignore")(ds)
	})
	// The action's command selects the reason to write.
	if ignore.Command == nil {
		t.Fatal("the ignore action has no command to select the reason")
	}
	c.call("workspace/executeCommand", protocol.ExecuteCommandParams{Command: ignore.Command.Command, Arguments: ignore.Command.Arguments}, nil)
	select {
	case p := <-c.shown:
		sel := p.Selection
		if p.URI != uri || sel == nil || sel.Start.Line != schemeLine || sel.End.Line != schemeLine {
			t.Fatalf("showDocument %+v", p)
		}
		if got := lines[schemeLine][sel.Start.Character:sel.End.Character]; got != reasonPlaceholder {
			t.Errorf("the selection is %q, want the placeholder reason", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no window/showDocument")
	}
}

// A change in one open file changes the findings of another open file
// of the tree, from the editor's text, before anything is saved.
func TestOtherOpenFile(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	shop := c.open(filepath.Join(root, "sites-available", "shop.conf"))
	c.waitDiags(shop, "upstream-keepalive is reported", has("upstream-keepalive", 13, 4, 18))
	ups := c.open(filepath.Join(root, "conf.d", "upstreams.conf"))
	c.waitDiags(ups, "backend-drift is reported in upstreams.conf", has("backend-drift", 2, 11, 25))
	c.change(ups, strings.Replace(c.texts[ups], "    keepalive 16;\n", "", 1))
	c.waitDiags(shop, "upstream-keepalive is gone", not(hasCode("upstream-keepalive")))
	if data, _ := os.ReadFile(filepath.Join(root, "conf.d", "upstreams.conf")); !strings.Contains(string(data), "keepalive 16;") {
		t.Error("the file on disk was written")
	}
}

// A document opened by a symbolic link (sites-enabled/shop.conf, a link
// to sites-available/shop.conf) is the file it leads to: its text is
// read in its place, and its findings are published for it.
func TestLinkedDocument(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	uri := c.open(filepath.Join(root, "sites-enabled", "shop.conf"))
	c.waitDiags(uri, "proxy-pass-scheme is reported", has("proxy-pass-scheme", schemeLine, schemeStart, schemeEnd))
	c.change(uri, strings.Replace(c.texts[uri], "proxy_pass 127.0.0.1:8004;", "proxy_pass http://127.0.0.1:8004;", 1))
	c.waitDiags(uri, "proxy-pass-scheme is gone", not(hasCode("proxy-pass-scheme")))
}

// A change of the manifest, on disk or in the editor, lints the open
// files again.
func TestManifestChange(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	ups := c.open(filepath.Join(root, "conf.d", "upstreams.conf"))
	c.waitDiags(ups, "backend-drift is reported", has("backend-drift", 2, 11, 25))

	manifest := filepath.Join(root, "backends.toml")
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	fixed := strings.Replace(string(data), `listen = ["127.0.0.1:8001", "127.0.0.1:8002"]`, `listen = ["127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8012"]`, 1)
	if err := os.WriteFile(manifest, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uriOf(manifest), Type: protocol.FileChangeTypeChanged}}})
	c.waitDiags(ups, "backend-drift is gone", not(hasCode("backend-drift")))

	// The manifest open in the editor: its text is the manifest, and
	// its problems are shown in it.
	m := c.openText(manifest, fixed)
	// The apps it links are read (example/app): nothing to say of it.
	c.waitDiags(ups, "the open manifest is read", not(hasCode("backend-drift")))
	if ds := c.waitDiags(m, "the manifest is linted", func([]diagnostic) bool { return true }); len(ds) != 0 {
		t.Errorf("findings in the manifest: %v", ds)
	}
	// An app it links that is gone is said at its app = value.
	if err := os.Rename(filepath.Join(root, "..", "..", "app", "api"), filepath.Join(root, "..", "..", "app", "api.old")); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uriOf(filepath.Join(root, "..", "..", "app", "api")), Type: protocol.FileChangeTypeDeleted}}})
	c.waitDiags(m, "the missing app is said", func(ds []diagnostic) bool {
		return len(ds) == 1 && ds[0].Code == "apps" && ds[0].Range.Start.Line == 18 && strings.Contains(ds[0].Message, "gunicorn.conf.py")
	})
	c.change(m, strings.Replace(fixed, `"127.0.0.1:8012"]`, `"127.0.0.1:8012"`, 1)) // invalid TOML
	c.waitDiags(ups, "the invalid manifest is said", func(ds []diagnostic) bool {
		return len(ds) == 1 && strings.Contains(ds[0].Message, "manifest") && strings.Contains(ds[0].Message, "invalid")
	})
	c.waitDiags(m, "the manifest's problem is shown in it", func(ds []diagnostic) bool { return len(ds) > 0 })
	c.change(m, string(data))
	c.waitDiags(ups, "backend-drift is back", has("backend-drift", 2, 11, 25))
}

// The tree's .nginxlint.toml applies, and a change of it (on disk) lints
// the open files again; an invalid one is said in them.
func TestConfiguration(t *testing.T) {
	root := exampleTree(t)
	cfg := filepath.Join(root, ".nginxlint.toml")
	if err := os.WriteFile(cfg, []byte("ignore = [\"proxy-pass-scheme\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, fullCaps)
	shop := c.open(filepath.Join(root, "sites-available", "shop.conf"))
	c.waitDiags(shop, "the configuration's ignore applies", func(ds []diagnostic) bool {
		return hasCode("backend-drift")(ds) && !hasCode("proxy-pass-scheme")(ds)
	})
	changed := func() {
		c.notify("workspace/didChangeWatchedFiles", protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{{URI: uriOf(cfg), Type: protocol.FileChangeTypeChanged}}})
	}
	if err := os.WriteFile(cfg, []byte("ignore = [\"proxy-pass-scheme\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed()
	c.waitDiags(shop, "the invalid configuration is said", func(ds []diagnostic) bool {
		return len(ds) == 1 && strings.Contains(ds[0].Message, ".nginxlint.toml is invalid")
	})
	if err := os.WriteFile(cfg, []byte("# nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed()
	c.waitDiags(shop, "proxy-pass-scheme is back", hasCode("proxy-pass-scheme"))
}

func TestHover(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	uri := c.open(filepath.Join(root, "sites-available", "shop.conf"))
	hover := func(line, char uint32) string {
		var h struct {
			Contents protocol.MarkupContent `json:"contents"`
		}
		c.call("textDocument/hover", protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: line, Character: char}}}, &h)
		return h.Contents.Value
	}
	// On the name of proxy_read_timeout (line 20).
	got := hover(19, 10)
	for _, want := range []string{"**proxy_read_timeout**", "ngx_http_proxy_module", "contexts: http, server, location", "arguments: 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("hover on proxy_read_timeout lacks %q:\n%s", want, got)
		}
	}
	// On the finding: its rule's documentation.
	got = hover(schemeLine, schemeStart+3)
	for _, want := range []string{"**proxy-pass-scheme**", "Default severity: error", "**Bad:**", "[Documentation of proxy-pass-scheme]"} {
		if !strings.Contains(got, want) {
			t.Errorf("hover on the finding lacks %q:\n%s", want, got)
		}
	}
	if got := hover(2, 30); got != "" {
		t.Errorf("hover past the end of server_name's line: %q", got)
	}
}

func TestDefinition(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	shop := c.open(filepath.Join(root, "sites-available", "shop.conf"))
	definition := func(uri string, line, char uint32) []protocol.Location {
		var locs []protocol.Location
		c.call("textDocument/definition", protocol.DefinitionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: line, Character: char}}}, &locs)
		return locs
	}
	ups := uriOf(filepath.Join(root, "conf.d", "upstreams.conf"))
	// proxy_pass http://api_pool; (line 16)
	got := definition(shop, 15, 25)
	want := []protocol.Location{{URI: ups, Range: protocol.Range{Start: protocol.Position{Line: 0, Character: 9}, End: protocol.Position{Line: 0, Character: 17}}}}
	if !slices.Equal(got, want) {
		t.Errorf("definition of proxy_pass http://api_pool: %+v, want %+v", got, want)
	}
	// include snippets/proxy.conf; (line 15)
	got = definition(shop, 14, 12)
	want = []protocol.Location{{URI: uriOf(filepath.Join(root, "snippets", "proxy.conf"))}}
	if !slices.Equal(got, want) {
		t.Errorf("definition of include snippets/proxy.conf: %+v, want %+v", got, want)
	}
	// include fastcgi_params; a file of the tree (line 25).
	got = definition(shop, 24, 10)
	want = []protocol.Location{{URI: uriOf(filepath.Join(root, "fastcgi_params"))}}
	if !slices.Equal(got, want) {
		t.Errorf("definition of include fastcgi_params: %+v, want %+v", got, want)
	}
	// A glob, from nginx.conf: every file it includes.
	main := c.open(filepath.Join(root, "nginx.conf"))
	got = definition(main, 16, 20)
	want = []protocol.Location{{URI: ups}}
	if !slices.Equal(got, want) {
		t.Errorf("definition of include /etc/nginx/conf.d/*.conf: %+v, want %+v", got, want)
	}
	if got := definition(shop, 2, 8); got != nil {
		t.Errorf("definition of server_name: %+v", got)
	}
}

func TestSymbols(t *testing.T) {
	root := exampleTree(t)
	c := newClient(t, fullCaps)
	symbols := func(uri string) string {
		var syms []protocol.DocumentSymbol
		c.call("textDocument/documentSymbol", protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, &syms)
		var b strings.Builder
		var show func(ss []protocol.DocumentSymbol, depth int)
		show = func(ss []protocol.DocumentSymbol, depth int) {
			for _, s := range ss {
				b.WriteString(strings.Repeat("  ", depth) + s.Name)
				if s.Detail != nil {
					b.WriteString(" (" + *s.Detail + ")")
				}
				b.WriteString("\n")
				show(s.Children, depth+1)
			}
		}
		show(syms, 0)
		return b.String()
	}
	got := symbols(c.open(filepath.Join(root, "sites-available", "shop.conf")))
	want := `server shop.example.com (80)
  location /
  location /api/
  location /reports/
  location ~ ^/admin/.+\.php$
`
	if got != want {
		t.Errorf("symbols of shop.conf:\n%s\nwant\n%s", got, want)
	}
	got = symbols(c.open(filepath.Join(root, "nginx.conf")))
	want = "events\nhttp\nstream\n  server 127.0.0.1:15432\n"
	if got != want {
		t.Errorf("symbols of nginx.conf:\n%s\nwant\n%s", got, want)
	}
	got = symbols(c.open(filepath.Join(root, "conf.d", "upstreams.conf")))
	want = "upstream api_pool\nupstream web\n"
	if got != want {
		t.Errorf("symbols of upstreams.conf:\n%s\nwant\n%s", got, want)
	}
}

// Positions count UTF-16 code units unless the client offers utf-8:
// text before a finding on its line that is not ASCII moves its
// character offsets differently in each.
func TestPositionsNonASCII(t *testing.T) {
	// "é" is 2 bytes and 1 UTF-16 unit, "𝄞" 4 bytes and 2 units, "☕" 3
	// bytes and 1 unit.
	const line = `        location /café-𝄞-☕/ { proxy_pass 127.0.0.1:8004; }`
	prefix, _, _ := strings.Cut(line, "127.")
	for _, tc := range []struct {
		name, caps string
		enc        encoding
		start      uint32
	}{
		{"utf-16", `{}`, utf16, uint32(len([]rune(prefix))) + 1}, // one more unit for 𝄞
		{"utf-8", fullCaps, utf8Bytes, uint32(len(prefix))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			text := "events {}\nhttp {\n    server {\n        listen 80;\n" + line + "\n    }\n}\n"
			path := filepath.Join(dir, "nginx.conf")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			c := newClient(t, tc.caps)
			if c.enc != tc.enc {
				t.Fatalf("negotiated %v, want %v", c.enc, tc.enc)
			}
			uri := c.open(path)
			end := tc.start + uint32(len("127.0.0.1:8004"))
			c.waitDiags(uri, "proxy-pass-scheme is at the argument", has("proxy-pass-scheme", 4, tc.start, end))
			// An incremental change, at positions in the same encoding:
			// the scheme inserted before the argument.
			c.versions[uri]++
			at := protocol.Position{Line: 4, Character: tc.start}
			c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}, Version: c.versions[uri]},
				ContentChanges: []any{protocol.TextDocumentContentChangeEvent{Range: &protocol.Range{Start: at, End: at}, Text: "http://"}},
			})
			c.waitDiags(uri, "proxy-pass-scheme is gone", not(hasCode("proxy-pass-scheme")))
		})
	}
}

func TestLineIndex(t *testing.T) {
	text := "a\r\nbé𝄞c\rd\n"
	ix := newLineIndex(text)
	for _, tc := range []struct {
		off  int
		enc  encoding
		line uint32
		char uint32
	}{
		{0, utf16, 0, 0},
		{1, utf16, 0, 1},
		{2, utf16, 0, 1}, // inside "\r\n": the end of the line
		{3, utf16, 1, 0},
		{6, utf16, 1, 2},  // after "bé"
		{10, utf16, 1, 4}, // after "𝄞": two units
		{10, utf8Bytes, 1, 7},
		{12, utf16, 2, 0}, // after the lone "\r"
		{len(text), utf16, 3, 0},
	} {
		p := ix.position(tc.off, tc.enc)
		if p.Line != tc.line || p.Character != tc.char {
			t.Errorf("position(%d, %v) = %d:%d, want %d:%d", tc.off, tc.enc, p.Line, p.Character, tc.line, tc.char)
		}
		if tc.off != 2 {
			if back := ix.offset(p, tc.enc); back != tc.off {
				t.Errorf("offset(%d:%d, %v) = %d, want %d", p.Line, p.Character, tc.enc, back, tc.off)
			}
		}
	}
	// Past the line's end: the line's end; inside a surrogate pair: the
	// character's end; past the last line: the text's end.
	if got := ix.offset(protocol.Position{Line: 0, Character: 9}, utf16); got != 1 {
		t.Errorf("past the end of line 0: %d", got)
	}
	if got := ix.offset(protocol.Position{Line: 1, Character: 3}, utf16); got != 10 {
		t.Errorf("inside 𝄞: %d", got)
	}
	if got := ix.offset(protocol.Position{Line: 1, Character: 2}, utf8Bytes); got != 6 {
		t.Errorf("inside é in bytes: %d", got)
	}
	if got := ix.offset(protocol.Position{Line: 9}, utf16); got != len(text) {
		t.Errorf("past the last line: %d", got)
	}
}

func TestURI(t *testing.T) {
	for _, p := range []string{"/etc/nginx/nginx.conf", "/tmp/a b/ü#x.conf"} {
		uri := uriOf(p)
		back, err := pathOf(uri)
		if err != nil || back != p {
			t.Errorf("pathOf(uriOf(%q)) = %q, %v (uri %s)", p, back, err, uri)
		}
	}
	if got := uriOf("/tmp/a b/x.conf"); got != "file:///tmp/a%20b/x.conf" {
		t.Errorf("uriOf: %s", got)
	}
	if _, err := pathOf("untitled:Untitled-1"); err == nil {
		t.Error("pathOf accepts an untitled: URI")
	}
}
