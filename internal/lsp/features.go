package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/sourcegraph/jsonrpc2"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/nginxlint/nginxlint/lint"
	"github.com/nginxlint/nginxlint/lint/driver"
	"github.com/nginxlint/nginxlint/lint/fix"
	"github.com/nginxlint/nginxlint/lint/nginx"
	"github.com/nginxlint/nginxlint/lint/ruledoc"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// kindFixAll is the kind of the action that applies every certain fix of
// a document (LSP 3.17's source.fixAll, nginxlint's own).
const kindFixAll = "source.fixAll.nginxlint"

// reasonPlaceholder is the reason an ignore comment is written with: the
// user replaces it with the real one.
const reasonPlaceholder = "TODO: say why this finding does not apply here"

// lines returns the line index of f's text, built once per result.
func (r *result) lines(f *syntax.File) *lineIndex {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lineIx == nil {
		r.lineIx = map[*syntax.File]*lineIndex{}
	}
	ix := r.lineIx[f]
	if ix == nil {
		ix = newLineIndex(f.Src)
		r.lineIx[f] = ix
	}
	return ix
}

// uriFor returns the URI findings in f are shown at: the open document
// that edits f, else f's own.
func (r *result) uriFor(f *syntax.File) string {
	if rel := r.relOf(f); rel != "" {
		for _, d := range r.docs {
			if r.rels[d.uri] == rel {
				return d.uri
			}
		}
	}
	if p := r.pathOf(f); p != "" {
		for _, d := range r.docs {
			if d.path == p {
				return d.uri
			}
		}
		return uriOf(p)
	}
	return ""
}

// convert turns a finding into an LSP diagnostic.
func (s *server) convert(res *result, d lint.Diagnostic, enc encoding) protocol.Diagnostic {
	out := protocol.Diagnostic{Source: ptr("nginxlint"), Message: d.Message, Code: &protocol.IntegerOrString{Value: d.Rule}}
	if d.File != nil {
		out.Range = res.lines(d.File).rangeOf(d.Start, d.End, enc)
	}
	sev := protocol.DiagnosticSeverityInformation
	switch d.Severity {
	case lint.Error:
		sev = protocol.DiagnosticSeverityError
	case lint.Warning:
		sev = protocol.DiagnosticSeverityWarning
	}
	out.Severity = &sev
	if s.byID[d.Rule] != nil {
		out.CodeDescription = &protocol.CodeDescription{HRef: ruledoc.URL(d.Rule)}
	}
	for _, rel := range d.Related {
		if rel.File == nil {
			continue
		}
		uri := res.uriFor(rel.File)
		if uri == "" {
			continue
		}
		out.RelatedInformation = append(out.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uri, Range: res.lines(rel.File).rangeOf(rel.Start, rel.End, enc)},
			Message:  rel.Message,
		})
	}
	return out
}

func (s *server) encoding() encoding {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc
}

// target returns, for a request on a document, the document's file in
// the latest lint and the offset of pos in it.
func (s *server) target(uri string, pos *protocol.Position) (*result, *syntax.File, int) {
	doc, res := s.fresh(uri)
	if res == nil {
		return nil, nil, 0
	}
	f := res.files[res.rels[doc.uri]]
	if f == nil {
		return res, nil, 0
	}
	off := 0
	if pos != nil {
		off = res.lines(f).offset(*pos, s.encoding())
	}
	return res, f, off
}

// codeActions returns the fixes of the findings in the range, an ignore
// comment for each, and the fix of every finding of the document.
func (s *server) codeActions(p protocol.CodeActionParams) []protocol.CodeAction {
	actions := []protocol.CodeAction{}
	res, f, lo := s.target(p.TextDocument.URI, &p.Range.Start)
	if f == nil {
		return actions
	}
	enc := s.encoding()
	hi := res.lines(f).offset(p.Range.End, enc)
	want := func(kind string) bool {
		if len(p.Context.Only) == 0 {
			return true
		}
		for _, o := range p.Context.Only {
			if kind == o || strings.HasPrefix(kind, o+".") {
				return true
			}
		}
		return false
	}
	quickfix := protocol.CodeActionKindQuickFix
	// The findings in the range, and those the client says it shows
	// there (the line's, when the cursor is elsewhere on it).
	shown := map[protocol.Range]bool{}
	for _, d := range p.Context.Diagnostics {
		shown[d.Range] = true
	}
	findings := res.findings[res.relOf(f)]
	for _, d := range findings {
		if !want(quickfix) {
			break
		}
		ld := s.convert(res, d, enc)
		if (d.Start > hi || max(d.End, d.Start) < lo) && !shown[ld.Range] {
			continue
		}
		if len(d.Fixes) > 0 {
			title := fmt.Sprintf("Fix %s: %s", d.Rule, d.Fixes[0].Message)
			actions = append(actions, protocol.CodeAction{Title: title, Kind: &quickfix, Diagnostics: []protocol.Diagnostic{ld},
				IsPreferred: ptr(true), Edit: s.workspaceEdit(res, d.Fixes[0].Edits, enc)})
		}
		if a := s.ignoreAction(res, f, d, ld, enc); a != nil {
			actions = append(actions, *a)
		}
	}
	if want(kindFixAll) {
		var fixable []lint.Diagnostic
		for _, d := range findings {
			if len(d.Fixes) > 0 {
				fixable = append(fixable, d)
			}
		}
		if planned, _ := fix.Plan(fixable); len(planned) > 0 {
			var edits []lint.TextEdit
			n := 0
			for _, fe := range planned {
				edits = append(edits, fe.Edits...)
				n += len(fe.Applied)
			}
			kind := kindFixAll
			actions = append(actions, protocol.CodeAction{Title: fmt.Sprintf("Fix all: the fixes nginxlint is sure of in this file (%d)", n),
				Kind: &kind, Edit: s.workspaceEdit(res, edits, enc)})
		}
	}
	return actions
}

// workspaceEdit turns byte-range edits, in any file of the tree, into a
// WorkspaceEdit.
func (s *server) workspaceEdit(res *result, edits []lint.TextEdit, enc encoding) *protocol.WorkspaceEdit {
	we := &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{}}
	for _, e := range edits {
		uri := res.uriFor(e.File)
		if uri == "" {
			continue
		}
		we.Changes[uri] = append(we.Changes[uri], protocol.TextEdit{Range: res.lines(e.File).rangeOf(e.Start, e.End, enc), NewText: e.NewText})
	}
	return we
}

// ignoreAction returns the action that writes an ignore comment for d,
// as "nginxlint suppress" writes it, with a reason to edit; nil when no
// comment can suppress d.
func (s *server) ignoreAction(res *result, f *syntax.File, d lint.Diagnostic, ld protocol.Diagnostic, enc encoding) *protocol.CodeAction {
	if d.File != f || f.Stock || f.Virtual == "" || d.Rule == "read" || !driver.CanSuppress(d.Rule, true) {
		return nil
	}
	place, why := driver.PlaceIgnore(syntax.NewNesting(f), d)
	if why != "" {
		return nil
	}
	at, fileWide := place.At, place.FileWide
	comment := place.Indent + driver.IgnoreComment([]string{d.Rule}, reasonPlaceholder, fileWide) + place.EOL
	pos := res.lines(f).position(at, enc)
	uri := res.uriFor(f)
	k := strings.LastIndex(comment, reasonPlaceholder)
	sel := protocol.Range{
		Start: protocol.Position{Line: pos.Line, Character: uint32(units(comment[:k], enc))},
		End:   protocol.Position{Line: pos.Line, Character: uint32(units(comment[:k+len(reasonPlaceholder)], enc))},
	}
	quickfix := protocol.CodeActionKindQuickFix
	what := "this directive"
	if fileWide {
		what = "this file"
	}
	a := &protocol.CodeAction{
		Title:       fmt.Sprintf("Ignore %s in %s, with a reason (# nginxlint:ignore)", d.Rule, what),
		Kind:        &quickfix,
		Diagnostics: []protocol.Diagnostic{ld},
		Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{
			uri: {{Range: protocol.Range{Start: pos, End: pos}, NewText: comment}},
		}},
	}
	s.mu.Lock()
	show := s.caps.Window.ShowDocument.Support
	s.mu.Unlock()
	if show {
		a.Command = &protocol.Command{Title: "Write the reason", Command: cmdSelectReason, Arguments: []any{uri, sel}}
	}
	return a
}

// execute runs a command of a code action.
func (s *server) execute(ctx context.Context, p protocol.ExecuteCommandParams) (any, error) {
	if p.Command != cmdSelectReason || len(p.Arguments) != 2 {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "unknown command " + p.Command}
	}
	uri, _ := p.Arguments[0].(string)
	var sel protocol.Range
	raw, err := json.Marshal(p.Arguments[1])
	if err == nil {
		err = json.Unmarshal(raw, &sel)
	}
	if uri == "" || err != nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "nginxlint.selectReason takes a URI and a range"}
	}
	// A request to the client cannot wait here: the client's answer is
	// read after this message is handled.
	go func() {
		var out protocol.ShowDocumentResult
		if err := s.conn.Call(ctx, "window/showDocument", protocol.ShowDocumentParams{URI: uri, TakeFocus: ptr(true), Selection: &sel}, &out); err != nil {
			s.logf("window/showDocument: %v", err)
		}
	}()
	return nil, nil
}

// directives returns the directives of f (its own, not those it
// includes), in order.
func directives(f *syntax.File) []syntax.Directive {
	var out []syntax.Directive
	var walk func(ds []syntax.Directive)
	walk = func(ds []syntax.Directive) {
		for _, d := range ds {
			out = append(out, d)
			if d.IsBlock() {
				walk(d.Block())
			}
		}
	}
	walk(f.Directives())
	return out
}

// headerAt returns the innermost directive of f whose header (its name
// and arguments, up to its ";" or "{") holds off.
func headerAt(f *syntax.File, off int) syntax.Directive {
	var at syntax.Directive
	for _, d := range directives(f) {
		end := int(d.End())
		if d.IsBlock() {
			end = int(d.LBrace())
		}
		if int(d.Start()) <= off && off <= end {
			at = d
		}
	}
	return at
}

// hover shows, on a finding, its rule's documentation (nginxlint
// explain), and on a directive what the directive table knows of it.
func (s *server) hover(uri string, pos protocol.Position) any {
	res, f, off := s.target(uri, &pos)
	if f == nil {
		return nil
	}
	enc := s.encoding()
	s.mu.Lock()
	markdown := slices.Contains(s.caps.TextDocument.Hover.ContentFormat, string(protocol.MarkupKindMarkdown))
	s.mu.Unlock()
	ix := res.lines(f)
	var parts []string
	var rng *protocol.Range
	seen := map[string]bool{}
	for _, d := range res.findings[res.relOf(f)] {
		if d.Start <= off && off < max(d.End, d.Start+1) && !seen[d.Rule] {
			seen[d.Rule] = true
			parts = append(parts, s.ruleDoc(d, markdown))
			if rng == nil {
				r := ix.rangeOf(d.Start, d.End, enc)
				rng = &r
			}
		}
	}
	if d := headerAt(f, off); !d.IsZero() && off <= int(d.NameEnd()) {
		parts = append(parts, directiveDoc(d.Name(), markdown))
		if rng == nil {
			r := ix.rangeOf(int(d.Start()), int(d.NameEnd()), enc)
			rng = &r
		}
	}
	if len(parts) == 0 {
		return nil
	}
	kind, sep := protocol.MarkupKindPlainText, "\n\n"
	if markdown {
		kind, sep = protocol.MarkupKindMarkdown, "\n\n---\n\n"
	}
	return protocol.Hover{Contents: protocol.MarkupContent{Kind: kind, Value: strings.Join(parts, sep)}, Range: rng}
}

// ruleDoc is the documentation of d's rule, as nginxlint explain prints
// it.
func (s *server) ruleDoc(d lint.Diagnostic, markdown bool) string {
	r := s.byID[d.Rule]
	if r == nil {
		return d.Message
	}
	if !markdown {
		return ruledoc.Explain(r)
	}
	head := fmt.Sprintf("**%s**: %s\n\nDefault severity: %s", r.ID, r.Title, r.Severity)
	if r.NeedsManifest {
		head += "; needs a backend manifest"
	}
	return head + ".\n\n" + ruledoc.HelpMarkdown(r)
}

// directiveDoc says what the directive table knows of name: each
// module's definition, with its contexts, argument counts and versions.
func directiveDoc(name string, markdown bool) string {
	code := func(s string) string {
		if markdown {
			return "`" + s + "`"
		}
		return s
	}
	vs := nginx.Variants(name)
	if len(vs) == 0 {
		return fmt.Sprintf("%s: a directive of no module nginxlint's directive table knows", code(name))
	}
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if markdown {
			fmt.Fprintf(&b, "**%s** (%s)", name, code(v.Module))
		} else {
			fmt.Fprintf(&b, "%s (%s)", name, v.Module)
		}
		if m := nginx.ModuleNamed(v.Module); m != nil && m.ThirdParty() {
			fmt.Fprintf(&b, ", a third-party module (%s)", m.Source)
		}
		item := func(format string, args ...any) {
			b.WriteString("\n")
			if markdown {
				b.WriteString("- ")
			} else {
				b.WriteString("  ")
			}
			fmt.Fprintf(&b, format, args...)
		}
		item("contexts: %s", strings.ReplaceAll(v.Contexts.String(), "|", ", "))
		args := v.Args.String()
		if v.Block {
			args += ", then a block"
		}
		item("arguments: %s", args)
		switch {
		case !v.Since.IsZero() && !v.Until.IsZero():
			item("nginx versions: %s to before %s", v.Since, v.Until)
		case !v.Since.IsZero():
			item("since nginx %s", v.Since)
		case !v.Until.IsZero():
			item("removed in nginx %s", v.Until)
		default:
			item("in every nginx version the table covers (up to %s)", nginx.Newest())
		}
		if !v.Deprecated.IsZero() {
			if v.Instead != "" {
				item("deprecated since nginx %s: use %s", v.Deprecated, code(v.Instead))
			} else {
				item("deprecated since nginx %s", v.Deprecated)
			}
		}
	}
	return b.String()
}

// definition leads from a pass directive that names an upstream block
// to the block, and from an include to the files it includes.
func (s *server) definition(uri string, pos protocol.Position) any {
	res, f, off := s.target(uri, &pos)
	if f == nil {
		return nil
	}
	d := headerAt(f, off)
	if d.IsZero() {
		return nil
	}
	enc := s.encoding()
	locs := []protocol.Location{}
	seen := map[protocol.Location]bool{}
	add := func(l protocol.Location) {
		if l.URI != "" && !seen[l] {
			seen[l] = true
			locs = append(locs, l)
		}
	}
	// The same directive, wherever the trees read it (a snippet is
	// read at each include).
	same := func(x syntax.Directive) bool { return x.File() == f && x.Start() == d.Start() }
	switch {
	case d.IsInclude():
		for _, t := range res.trees {
			t.Walk(func(x syntax.Directive) {
				if !same(x) {
					return
				}
				for _, inc := range x.IncludedFiles() {
					if !inc.Stock {
						add(protocol.Location{URI: res.uriFor(inc)})
					}
				}
			})
		}
	case nginx.IsPass(d.Name()):
		for _, t := range res.trees {
			for tg := range res.index(t).Targets() {
				if !same(tg.Directive) {
					continue
				}
				if up := tg.Upstream(); !up.IsZero() && up.NArgs() > 0 {
					a := up.ArgAt(0)
					add(protocol.Location{URI: res.uriFor(up.File()), Range: res.lines(up.File()).rangeOf(int(a.Start), int(a.End), enc)})
				}
			}
		}
	}
	if len(locs) == 0 {
		return nil
	}
	return locs
}

// symbols outlines a document: the http, stream and mail blocks, the
// servers (named by server_name, or listen), their locations, and the
// upstream blocks, nested as written.
func (s *server) symbols(uri string) any {
	res, f, _ := s.target(uri, nil)
	if f == nil {
		return []protocol.DocumentSymbol{}
	}
	enc := s.encoding()
	ix := res.lines(f)
	var build func(ds []syntax.Directive) []protocol.DocumentSymbol
	build = func(ds []syntax.Directive) []protocol.DocumentSymbol {
		out := []protocol.DocumentSymbol{}
		for _, d := range ds {
			if !d.IsBlock() || d.File() != f {
				continue
			}
			name, detail := d.Name(), ""
			kind := protocol.SymbolKindNamespace
			switch d.Name() {
			case "http", "stream", "mail", "events":
			case "server":
				kind = protocol.SymbolKindClass
				names, listens := childArgs(d, "server_name"), childArgs(d, "listen")
				switch {
				case len(names) > 0:
					name = "server " + strings.Join(names, " ")
					detail = strings.Join(listens, " ")
				case len(listens) > 0:
					name = "server " + strings.Join(listens, " ")
				}
			case "location", "upstream", "map", "split_clients", "geo":
				kind = protocol.SymbolKindStruct
				if d.Name() == "location" {
					kind = protocol.SymbolKindMethod
				}
				var args []string
				for _, a := range d.Args() {
					args = append(args, a.Value)
				}
				name = strings.TrimSpace(d.Name() + " " + strings.Join(args, " "))
			default:
				// if, limit_except ...: their locations belong to the
				// block around.
				out = append(out, build(d.Block())...)
				continue
			}
			sym := protocol.DocumentSymbol{
				Name:           name,
				Kind:           kind,
				Range:          ix.rangeOf(int(d.Start()), int(d.End()), enc),
				SelectionRange: ix.rangeOf(int(d.Start()), int(d.LBrace()), enc),
				Children:       build(d.Block()),
			}
			if detail != "" {
				sym.Detail = &detail
			}
			out = append(out, sym)
		}
		return out
	}
	syms := build(f.Directives())
	s.mu.Lock()
	hierarchical := s.caps.TextDocument.DocumentSymbol.HierarchicalDocumentSymbolSupport
	s.mu.Unlock()
	if hierarchical {
		return syms
	}
	flat := []protocol.SymbolInformation{}
	var flatten func(ss []protocol.DocumentSymbol, container string)
	flatten = func(ss []protocol.DocumentSymbol, container string) {
		for _, sym := range ss {
			si := protocol.SymbolInformation{Name: sym.Name, Kind: sym.Kind, Location: protocol.Location{URI: uri, Range: sym.Range}}
			if container != "" {
				si.ContainerName = ptr(container)
			}
			flat = append(flat, si)
			flatten(sym.Children, sym.Name)
		}
	}
	flatten(syms, "")
	return flat
}

// childArgs returns the arguments of the directives named name directly
// in block d, in order.
func childArgs(d syntax.Directive, name string) []string {
	var out []string
	for _, c := range d.Block() {
		if c.Name() == name {
			for _, a := range c.Args() {
				out = append(out, a.Value)
			}
		}
	}
	return out
}
