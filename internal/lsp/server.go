// Package lsp is nginxlint's language server ("nginxlint lsp"): the
// Language Server Protocol over a stream, for editors.
//
// An open document stands for its file: on each change (debounced), the
// tree the document belongs to is linted whole, as the command lints it
// (workspace.Find and workspace.Load, with the tree's configuration file
// and manifest), with the text of every open document of the tree in
// place of its file on disk. The findings in each open document of the
// tree are published for it; those in files that are not open are not
// published. Code actions offer the fixes nginxlint is sure of (the
// edits --fix makes) and an ignore comment with a reason to edit; hover
// shows what the directive table knows of a directive and the
// documentation of a finding's rule; definitions lead from a pass
// directive to its upstream block and from an include to its files;
// document symbols outline servers, locations and upstreams.
//
// The protocol's types are github.com/tliron/glsp's (LSP 3.16, with the
// 3.17 position encodings added here); the JSON-RPC 2.0 transport is
// github.com/sourcegraph/jsonrpc2.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/config"
	"github.com/nginxlint/nginxlint/lint/syntax"
	"github.com/nginxlint/nginxlint/manifest"
)

// DefaultDebounce is how long the server waits after a change before it
// lints: changes that come quicker than that (typing) are linted once.
const DefaultDebounce = 150 * time.Millisecond

// Options change how the server runs.
type Options struct {
	// Debounce is the wait after a change before the lint; 0 means
	// DefaultDebounce, a negative value none.
	Debounce time.Duration
	// Version is nginxlint's version, for the client's log.
	Version string
	// Log receives what the server has to say outside the protocol (the
	// client usually shows it in its log); nil discards it.
	Log io.Writer
}

// ErrExitWithoutShutdown is Serve's error when the client sent exit
// without shutdown first: the server's exit status is then 1.
var ErrExitWithoutShutdown = errors.New("exit without shutdown")

// Serve runs the language server on stream until the client sends exit
// or the stream ends. rules are the rules the command runs.
func Serve(ctx context.Context, stream io.ReadWriteCloser, rules []*lint.Rule, opt Options) error {
	if opt.Debounce == 0 {
		opt.Debounce = DefaultDebounce
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	shadow, err := os.MkdirTemp("", "nginxlint-lsp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(shadow) //nolint:errcheck // a temporary directory
	s := &server{rules: rules, byID: map[string]*lint.Rule{}, opt: opt, shadow: shadow,
		docs: map[string]*document{}, trees: map[string]*treeState{}, shown: map[string]bool{}}
	for _, r := range rules {
		s.byID[r.ID] = r
	}
	s.ready = make(chan struct{})
	s.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(stream, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(s.handle))
	close(s.ready) // s.conn is set: messages may be handled
	select {
	case <-s.conn.DisconnectNotify():
	case <-ctx.Done():
		s.conn.Close() //nolint:errcheck // ending anyway
	}
	s.stop()
	s.lintMu.Lock() // a lint under way ends before the copies go
	defer s.lintMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.shutdown {
		return ErrExitWithoutShutdown
	}
	return nil
}

// server is one client's session.
type server struct {
	rules  []*lint.Rule
	byID   map[string]*lint.Rule
	opt    Options
	conn   *jsonrpc2.Conn
	ready  chan struct{} // closed once conn is set
	shadow string        // where the trees' copies are (see mirror)

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	enc         encoding
	caps        clientCaps
	docs        map[string]*document  // by URI
	trees       map[string]*treeState // by root
	timer       *time.Timer
	stopped     bool

	// lintMu is held while a tree is linted and its findings published:
	// one lint at a time, and requests wait for the lint of their
	// document's latest text.
	lintMu sync.Mutex
	shown  map[string]bool // URIs whose last published findings were not empty
}

// document is an open text document.
type document struct {
	uri, path string
	text      string
	version   int32
	tree      *treeState // nil: in no tree nginxlint lints
}

// clientCaps is what nginxlint reads of the client's capabilities.
type clientCaps struct {
	General struct {
		PositionEncodings []string `json:"positionEncodings"`
	} `json:"general"`
	TextDocument struct {
		Hover struct {
			ContentFormat []string `json:"contentFormat"`
		} `json:"hover"`
		CodeAction struct {
			CodeActionLiteralSupport *json.RawMessage `json:"codeActionLiteralSupport"`
		} `json:"codeAction"`
		DocumentSymbol struct {
			HierarchicalDocumentSymbolSupport bool `json:"hierarchicalDocumentSymbolSupport"`
		} `json:"documentSymbol"`
	} `json:"textDocument"`
	Workspace struct {
		DidChangeWatchedFiles struct {
			DynamicRegistration bool `json:"dynamicRegistration"`
		} `json:"didChangeWatchedFiles"`
	} `json:"workspace"`
	Window struct {
		ShowDocument struct {
			Support bool `json:"support"`
		} `json:"showDocument"`
	} `json:"window"`
}

// serverCapabilities adds LSP 3.17's positionEncoding to glsp's 3.16
// capabilities.
type serverCapabilities struct {
	protocol.ServerCapabilities
	PositionEncoding string `json:"positionEncoding,omitempty"`
}

type initializeResult struct {
	Capabilities serverCapabilities                   `json:"capabilities"`
	ServerInfo   *protocol.InitializeResultServerInfo `json:"serverInfo,omitempty"`
}

// Method names the server answers that glsp does not name.
const (
	cmdSelectReason = "nginxlint.selectReason"
)

func (s *server) logf(format string, args ...any) {
	fmt.Fprintf(s.opt.Log, "nginxlint lsp: "+format+"\n", args...)
}

// handle answers one message. The connection calls it for one message
// at a time, in the order they came: a change is applied before the
// request that follows it is answered.
func (s *server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	<-s.ready
	params := json.RawMessage("null")
	if req.Params != nil {
		params = *req.Params
	}
	decode := func(v any) error {
		if err := json.Unmarshal(params, v); err != nil {
			return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: err.Error()}
		}
		return nil
	}
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	switch {
	case req.Method == "exit":
		conn.Close() //nolint:errcheck // the client is gone
		return nil, nil
	case !initialized && req.Method != "initialize":
		if req.Notif {
			return nil, nil
		}
		return nil, &jsonrpc2.Error{Code: -32002, Message: "the server is not initialized"} // ServerNotInitialized
	case shutdown:
		if req.Notif {
			return nil, nil
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shut down"}
	}

	switch req.Method {
	case "initialize":
		var p struct {
			Capabilities clientCaps `json:"capabilities"`
		}
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.initialize(p.Capabilities), nil
	case "initialized":
		go s.registerWatchers(ctx)
		return nil, nil
	case "shutdown":
		s.mu.Lock()
		s.shutdown = true
		s.mu.Unlock()
		s.stop()
		return nil, nil

	case "textDocument/didOpen":
		var p protocol.DidOpenTextDocumentParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.didOpen(p.TextDocument)
		return nil, nil
	case "textDocument/didChange":
		var p protocol.DidChangeTextDocumentParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.didChange(p)
		return nil, nil
	case "textDocument/didSave":
		var p protocol.DidSaveTextDocumentParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.didSave(p.TextDocument.URI)
		return nil, nil
	case "textDocument/didClose":
		var p protocol.DidCloseTextDocumentParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.didClose(p.TextDocument.URI)
		return nil, nil
	case "workspace/didChangeWatchedFiles":
		var p protocol.DidChangeWatchedFilesParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		s.filesChanged(p.Changes)
		return nil, nil

	case "textDocument/codeAction":
		var p protocol.CodeActionParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.codeActions(p), nil
	case "textDocument/hover":
		var p protocol.HoverParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.hover(p.TextDocument.URI, p.Position), nil
	case "textDocument/definition":
		var p protocol.DefinitionParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.definition(p.TextDocument.URI, p.Position), nil
	case "textDocument/documentSymbol":
		var p protocol.DocumentSymbolParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.symbols(p.TextDocument.URI), nil
	case "workspace/executeCommand":
		var p protocol.ExecuteCommandParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.execute(ctx, p)
	}
	if req.Notif {
		return nil, nil // $/cancelRequest, $/setTrace ...: nothing to do
	}
	return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
}

func (s *server) initialize(caps clientCaps) initializeResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initialized = true
	s.caps = caps
	s.enc = utf16
	for _, e := range caps.General.PositionEncodings {
		if e == "utf-8" {
			s.enc = utf8Bytes
		}
	}
	yes := true
	incremental := protocol.TextDocumentSyncKindIncremental
	var actions any = true
	if caps.TextDocument.CodeAction.CodeActionLiteralSupport != nil {
		actions = protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, kindFixAll}}
	}
	res := initializeResult{
		Capabilities: serverCapabilities{
			ServerCapabilities: protocol.ServerCapabilities{
				TextDocumentSync: protocol.TextDocumentSyncOptions{
					OpenClose: &yes,
					Change:    &incremental,
					Save:      protocol.SaveOptions{},
				},
				HoverProvider:          true,
				DefinitionProvider:     true,
				DocumentSymbolProvider: true,
				CodeActionProvider:     actions,
				ExecuteCommandProvider: &protocol.ExecuteCommandOptions{Commands: []string{cmdSelectReason}},
			},
			PositionEncoding: s.enc.String(),
		},
		ServerInfo: &protocol.InitializeResultServerInfo{Name: "nginxlint"},
	}
	if s.opt.Version != "" {
		v := s.opt.Version
		res.ServerInfo.Version = &v
	}
	return res
}

// registerWatchers asks the client to tell the server of changes on
// disk to nginx files, manifests and configuration files, when it can.
func (s *server) registerWatchers(ctx context.Context) {
	s.mu.Lock()
	can := s.caps.Workspace.DidChangeWatchedFiles.DynamicRegistration
	s.mu.Unlock()
	if !can {
		return
	}
	var watchers []protocol.FileSystemWatcher
	for _, g := range []string{"**/*.toml", "**/*.conf", "**/" + config.Name, "**/" + manifest.DefaultName} {
		watchers = append(watchers, protocol.FileSystemWatcher{GlobPattern: g})
	}
	params := protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "nginxlint-watch", Method: "workspace/didChangeWatchedFiles",
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
	}}}
	if err := s.conn.Call(ctx, "client/registerCapability", params, nil); err != nil {
		s.logf("registering file watchers: %v", err)
	}
}

// stop stops the pending lint, for good.
func (s *server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	if s.timer != nil {
		s.timer.Stop()
	}
}

func (s *server) didOpen(item protocol.TextDocumentItem) {
	p, err := pathOf(item.URI)
	if err != nil {
		s.logf("%v", err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := &document{uri: item.URI, path: p, text: item.Text, version: item.Version}
	s.docs[item.URI] = doc
	s.assign(doc)
	s.changed(doc)
}

func (s *server) didChange(p protocol.DidChangeTextDocumentParams) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.docs[p.TextDocument.URI]
	if doc == nil {
		return
	}
	for _, c := range p.ContentChanges {
		switch c := c.(type) {
		case protocol.TextDocumentContentChangeEventWhole:
			doc.text = c.Text
		case protocol.TextDocumentContentChangeEvent:
			ix := newLineIndex(doc.text)
			start, end := ix.offset(c.Range.Start, s.enc), ix.offset(c.Range.End, s.enc)
			end = max(start, end)
			doc.text = doc.text[:start] + c.Text + doc.text[end:]
		}
	}
	doc.version = p.TextDocument.Version
	s.changed(doc)
}

func (s *server) didSave(uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.docs[uri]
	if doc == nil {
		return
	}
	if name := filepath.Base(doc.path); name == config.Name {
		// The configuration is read from disk: it may set another root.
		s.reassign()
	}
	s.changed(doc)
}

func (s *server) didClose(uri string) {
	s.mu.Lock()
	doc := s.docs[uri]
	delete(s.docs, uri)
	if doc != nil {
		s.changed(doc)
		if ts := doc.tree; ts != nil && !s.inUse(ts) {
			delete(s.trees, ts.root)
			go s.drop(ts)
		}
	}
	s.mu.Unlock()
	// Its findings go with it.
	s.lintMu.Lock()
	defer s.lintMu.Unlock()
	if s.shown[uri] {
		s.notify("textDocument/publishDiagnostics", protocol.PublishDiagnosticsParams{URI: uri, Diagnostics: []protocol.Diagnostic{}})
		delete(s.shown, uri)
	}
}

// drop removes the copy of a tree no document needs any more.
func (s *server) drop(ts *treeState) {
	s.lintMu.Lock()
	defer s.lintMu.Unlock()
	if ts.mirror != nil {
		os.RemoveAll(ts.mirror.dir) //nolint:errcheck // a temporary directory
	}
}

func (s *server) inUse(ts *treeState) bool {
	for _, d := range s.docs {
		if d.tree == ts {
			return true
		}
	}
	return false
}

// filesChanged takes changes on disk: every tree is linted again (an
// included file, the manifest, the configuration), and documents are
// given their tree again when a configuration file changed.
func (s *server) filesChanged(changes []protocol.FileEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range changes {
		if p, err := pathOf(c.URI); err == nil && filepath.Base(p) == config.Name {
			s.reassign()
			break
		}
	}
	for _, ts := range s.trees {
		ts.gen++
	}
	s.schedule()
}

// assign finds the tree of doc (s.mu held).
func (s *server) assign(doc *document) {
	doc.tree = nil
	root, cfg, err := findTree(doc.path, s.rules)
	if err != nil {
		s.logf("%s: not linted: %v", doc.path, err)
		return
	}
	ts := s.trees[root]
	if ts == nil {
		ts = &treeState{root: root, gen: 1}
		s.trees[root] = ts
	}
	ts.config = cfg
	doc.tree = ts
}

// reassign finds every document's tree again (s.mu held).
func (s *server) reassign() {
	for _, d := range s.docs {
		old := d.tree
		s.assign(d)
		if old != nil && old != d.tree {
			old.gen++
		}
	}
	for root, ts := range s.trees {
		if !s.inUse(ts) {
			delete(s.trees, root)
			go s.drop(ts)
		}
	}
}

// changed schedules the lint of what doc's text concerns: its tree, and
// the trees whose manifest or configuration it is (s.mu held).
func (s *server) changed(doc *document) {
	if doc.tree != nil {
		doc.tree.gen++
	}
	for _, ts := range s.trees {
		if ts.res != nil && (ts.res.manifestPath == doc.path || ts.res.configPath == doc.path) ||
			filepath.Base(doc.path) == config.Name || filepath.Base(doc.path) == manifest.DefaultName {
			ts.gen++
		}
	}
	s.schedule()
}

// schedule starts the wait before the next lint, or starts it again
// (s.mu held).
func (s *server) schedule() {
	if s.stopped {
		return
	}
	d := max(s.opt.Debounce, 0)
	if s.timer == nil {
		s.timer = time.AfterFunc(d, s.flush)
		return
	}
	s.timer.Reset(d)
}

// flush lints the trees that changed and publishes their findings.
func (s *server) flush() {
	s.lintMu.Lock()
	defer s.lintMu.Unlock()
	s.mu.Lock()
	var stale []*treeState
	for _, ts := range s.trees {
		if ts.linted != ts.gen {
			stale = append(stale, ts)
		}
	}
	stopped := s.stopped
	s.mu.Unlock()
	if stopped {
		return
	}
	sort.Slice(stale, func(i, j int) bool { return stale[i].root < stale[j].root })
	for _, ts := range stale {
		s.lintAndPublish(ts)
	}
}

// lintAndPublish lints ts and publishes the findings of its open
// documents (s.lintMu held).
func (s *server) lintAndPublish(ts *treeState) *result {
	s.mu.Lock()
	gen := ts.gen
	in := input{config: ts.config, byPath: map[string]string{}}
	for _, d := range s.sortedDocs() {
		in.byPath[d.path] = d.text
		if d.tree == ts {
			in.docs = append(in.docs, docSnap{uri: d.uri, path: d.path, text: d.text, version: d.version})
		}
	}
	s.mu.Unlock()

	res, err := lintTree(ts, in, s.rules, s.shadow)
	if err != nil {
		s.logf("%s: %v", ts.root, err)
		res = &result{root: ts.root, failure: err.Error(), docs: in.docs, rels: map[string]string{}, files: map[string]*syntax.File{},
			findings: map[string][]lint.Diagnostic{}, other: map[string][]lint.Diagnostic{}}
	}

	s.mu.Lock()
	ts.res, ts.linted = res, gen
	enc := s.enc
	// The documents to publish for: the tree's, as linted, and the
	// manifest and the configuration file when open.
	targets := slices.Clone(res.docs)
	for _, d := range s.sortedDocs() {
		if _, ok := res.other[d.path]; (ok || d.path == res.manifestPath || d.path == res.configPath) && d.tree != ts {
			targets = append(targets, docSnap{uri: d.uri, path: d.path, text: d.text, version: d.version})
		}
	}
	s.mu.Unlock()

	for _, d := range targets {
		var ds []protocol.Diagnostic
		if res.failure != "" && len(res.other[d.path]) == 0 {
			sev := protocol.DiagnosticSeverityError
			ds = append(ds, protocol.Diagnostic{Severity: &sev, Source: ptr("nginxlint"), Message: "nginxlint: " + res.failure})
		}
		if rel := res.rels[d.uri]; rel != "" {
			for _, f := range res.findings[rel] {
				ds = append(ds, s.convert(res, f, enc))
			}
		}
		for _, f := range res.other[d.path] {
			ds = append(ds, s.convert(res, f, enc))
		}
		s.publish(d.uri, d.version, ds)
	}
	return res
}

// publish sends the findings of a document (s.lintMu held).
func (s *server) publish(uri string, version int32, ds []protocol.Diagnostic) {
	if ds == nil {
		ds = []protocol.Diagnostic{}
	}
	v := uint32(max(version, 0))
	s.notify("textDocument/publishDiagnostics", protocol.PublishDiagnosticsParams{URI: uri, Version: &v, Diagnostics: ds})
	s.shown[uri] = len(ds) > 0
}

func (s *server) notify(method string, params any) {
	if err := s.conn.Notify(context.Background(), method, params); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
		s.logf("%s: %v", method, err)
	}
}

// sortedDocs returns the open documents by URI (s.mu held).
func (s *server) sortedDocs() []*document {
	out := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].uri < out[j].uri })
	return out
}

// fresh returns the document at uri and the result of a lint of its
// tree with its current text, linting it now when a change is pending.
// The result is nil for a document in no tree.
func (s *server) fresh(uri string) (*docSnap, *result) {
	s.lintMu.Lock()
	defer s.lintMu.Unlock()
	s.mu.Lock()
	doc := s.docs[uri]
	var ts *treeState
	if doc != nil {
		ts = doc.tree
	}
	stale := ts != nil && (ts.res == nil || ts.linted != ts.gen)
	res := (*result)(nil)
	if ts != nil {
		res = ts.res
	}
	s.mu.Unlock()
	if doc == nil || ts == nil {
		return nil, nil
	}
	if stale {
		res = s.lintAndPublish(ts)
	}
	for i := range res.docs {
		if res.docs[i].uri == uri {
			return &res.docs[i], res
		}
	}
	return nil, nil
}

func ptr[T any](v T) *T { return &v }
