package cmdline

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// ReadProcfile reads a Procfile (Heroku, foreman, honcho): one process
// a line, "NAME: COMMAND". Each server command is an App named after its
// process type. A web process whose command nginxlint does not read
// still listens on $PORT, which the platform sets: it is an App with an
// unreadable bind. Blank lines and lines starting with # are skipped.
func ReadProcfile(f *syntax.File) ([]*apps.App, []apps.Problem) {
	r := &reader{f: f}
	f.Comments = apps.Comments(f.Src, "#", false, false)
	src := f.Src
	for lineStart := 0; lineStart < len(src); {
		end := strings.IndexByte(src[lineStart:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += lineStart
		}
		line := strings.TrimRight(src[lineStart:end], "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed != "" && !strings.HasPrefix(trimmed, "#") {
			r.procfileLine(lineStart, line)
		}
		lineStart = end + 1
	}
	return r.apps, r.problems
}

func (r *reader) procfileLine(start int, line string) {
	colon := strings.IndexByte(line, ':')
	name := ""
	if colon > 0 {
		name = line[:colon]
	}
	if !validProcess(name) {
		r.problem(start, start+len(line), "a Procfile line is NAME: COMMAND, with a name of letters, digits, - and _ (web: gunicorn app:app)")
		return
	}
	cmdStart := start + colon + 1
	cmdEnd := start + len(line)
	before := len(r.apps)
	r.name = name
	r.shell(source{text: r.f.Src[cmdStart:cmdEnd], base: cmdStart}, nil, 0)
	r.name = ""
	if len(r.apps) == before && name == "web" {
		text := strings.TrimSpace(r.f.Src[cmdStart:cmdEnd])
		s := cmdStart + strings.Index(r.f.Src[cmdStart:cmdEnd], text)
		sp := apps.SpanOf(r.f, s, s+len(text))
		reason := "the web process listens on $PORT, which the platform sets; nginxlint does not read this command"
		if flag := addressFlag(text); flag != "" {
			// rails s -p 3000: the command names its own address.
			reason = fmt.Sprintf("nginxlint does not read this command, which names its own address (%s): where the web process listens is not checked", flag)
		}
		r.apps = append(r.apps, &apps.App{Kind: apps.Command, Name: name, File: r.f, Span: sp,
			Binds: []apps.Bind{apps.Unreadable(text, sp, reason)}})
	}
}

func validProcess(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// instruction is one Dockerfile instruction: its keyword and its
// arguments as a logical line (continuations and the comment lines
// inside them removed), with the offset in the file of each byte.
type instruction struct {
	keyword    string
	start, end int // the whole instruction in the file
	args       source
}

// ReadDockerfile reads a Dockerfile: the CMD and ENTRYPOINT of its last
// stage (inherited from an earlier stage it is built FROM), run with the
// ENV it sets, as the user USER names. An exec-form ENTRYPOINT followed
// by a CMD runs the CMD's words after it; when the ENTRYPOINT is a
// script nginxlint does not know (docker-entrypoint.sh), the CMD is read
// as the command, since such scripts end with exec "$@". In the exec
// form nothing expands $VARIABLES: one in a bind is passed to the server
// as written, which is a problem.
func ReadDockerfile(f *syntax.File) ([]*apps.App, []apps.Problem) {
	r := &reader{f: f}
	f.Comments = apps.Comments(f.Src, "#", false, false)
	type stage struct {
		env             Env
		user            string
		cmd, entrypoint *instruction
	}
	stages := map[string]*stage{}
	var cur *stage
	escape := byte('\\')
	for _, in := range dockerInstructions(f.Src, &escape, r) {
		kw := strings.ToUpper(in.keyword)
		switch kw {
		case "FROM":
			words, _ := splitShell(in.args, nil)
			cur = &stage{env: Env{}}
			var base, name string
			if len(words) > 0 {
				ws := words[0]
				for i := 0; i < len(ws); i++ {
					if strings.HasPrefix(ws[i].Value, "--") {
						continue
					}
					if base == "" {
						base = ws[i].Value
					} else if strings.EqualFold(ws[i].Value, "AS") && i+1 < len(ws) {
						name = strings.ToLower(ws[i+1].Value)
						break
					}
				}
			}
			if from, ok := stages[strings.ToLower(base)]; ok {
				*cur = *from
				cur.env = copyEnv(from.env)
			}
			if name != "" {
				stages[name] = cur
			}
			stages[""] = cur
		case "ENV":
			if cur != nil {
				r.dockerEnv(in, cur.env)
			}
		case "USER":
			if cur != nil {
				u := strings.TrimSpace(in.args.text)
				if strings.ContainsAny(u, "$") {
					u = ""
				}
				cur.user = u
			}
		case "CMD":
			if cur != nil {
				cur.cmd = &in
			}
		case "ENTRYPOINT":
			if cur != nil {
				cur.entrypoint = &in
				cur.cmd = nil // an ENTRYPOINT resets the CMD
			}
		}
	}
	last := stages[""]
	if last == nil || last.cmd == nil && last.entrypoint == nil {
		return nil, r.problems
	}
	var argv []Word
	shell := func(in *instruction) {
		r.shell(in.args, last.env, 0)
	}
	switch {
	case last.entrypoint != nil:
		ep, ok := r.execForm(last.entrypoint)
		if !ok {
			shell(last.entrypoint)
			break
		}
		argv = ep
		if last.cmd != nil {
			if cmd, ok := r.execForm(last.cmd); ok {
				before := len(r.apps)
				r.command(append(append([]Word{}, ep...), cmd...), last.env, 0)
				if len(r.apps) == before {
					r.command(cmd, last.env, 0)
				}
				argv = nil
			}
		}
		if argv != nil {
			r.command(argv, last.env, 0)
		}
	default:
		if cmd, ok := r.execForm(last.cmd); ok {
			r.command(cmd, last.env, 0)
		} else {
			shell(last.cmd)
		}
	}
	for _, a := range r.apps {
		for i := range a.Binds {
			if a.Binds[i].RunUser == "" && last.user != "" {
				u, g, _ := strings.Cut(last.user, ":")
				a.Binds[i].RunUser, a.Binds[i].RunGroup = u, g
			}
		}
	}
	return r.apps, r.problems
}

func copyEnv(e Env) Env {
	out := make(Env, len(e))
	for k, v := range e {
		out[k] = v
	}
	return out
}

// dockerInstructions splits a Dockerfile into instructions.
func dockerInstructions(src string, escape *byte, r *reader) []instruction {
	var out []instruction
	i := 0
	directives := true
	for i < len(src) {
		lineEnd := strings.IndexByte(src[i:], '\n')
		if lineEnd < 0 {
			lineEnd = len(src)
		} else {
			lineEnd += i
		}
		line := src[i:lineEnd]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			directives = false
			i = lineEnd + 1
			continue
		case strings.HasPrefix(trimmed, "#"):
			if directives {
				d := strings.TrimSpace(trimmed[1:])
				if k, v, ok := strings.Cut(d, "="); ok && strings.EqualFold(strings.TrimSpace(k), "escape") {
					if v = strings.TrimSpace(v); v == "`" {
						*escape = '`'
					}
				}
			}
			i = lineEnd + 1
			continue
		}
		directives = false
		// The keyword, then the arguments up to a line that does not end
		// with the escape character.
		ws := i + strings.Index(line, trimmed)
		kwEnd := ws
		for kwEnd < lineEnd && src[kwEnd] != ' ' && src[kwEnd] != '\t' && src[kwEnd] != '\r' {
			kwEnd++
		}
		in := instruction{keyword: src[ws:kwEnd], start: ws}
		var text strings.Builder
		var pos []int
		j := kwEnd
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		heredoc := ""
		for {
			le := strings.IndexByte(src[j:], '\n')
			if le < 0 {
				le = len(src)
			} else {
				le += j
			}
			content := strings.TrimRight(src[j:le], " \t\r")
			if heredoc == "" {
				if k := strings.Index(content, "<<"); k >= 0 && (strings.EqualFold(in.keyword, "RUN") || strings.EqualFold(in.keyword, "COPY")) {
					heredoc = strings.Trim(strings.TrimLeft(content[k+2:], "-"), `"'`)
					if f := strings.Fields(heredoc); len(f) > 0 {
						heredoc = f[0]
					}
				}
			}
			cont := strings.HasSuffix(content, string(*escape))
			if cont {
				content = content[:len(content)-1]
			}
			for k := 0; k < len(content); k++ {
				text.WriteByte(content[k])
				pos = append(pos, j+k)
			}
			j = le + 1
			if !cont || j >= len(src) {
				in.end = min(le, len(src))
				break
			}
			// Comment and empty lines inside a continuation are dropped.
			for j < len(src) {
				ne := strings.IndexByte(src[j:], '\n')
				if ne < 0 {
					ne = len(src)
				} else {
					ne += j
				}
				t := strings.TrimSpace(src[j:ne])
				if t != "" && !strings.HasPrefix(t, "#") {
					break
				}
				j = ne + 1
			}
			if j >= len(src) {
				in.end = len(src)
				break
			}
		}
		in.args = source{text: text.String(), pos: pos, base: kwEnd}
		out = append(out, in)
		i = in.end + 1
		if heredoc != "" {
			// Skip the heredoc's body, up to its delimiter line.
			for i < len(src) {
				ne := strings.IndexByte(src[i:], '\n')
				if ne < 0 {
					ne = len(src)
				} else {
					ne += i
				}
				done := strings.TrimSpace(src[i:ne]) == heredoc
				i = ne + 1
				if done {
					break
				}
			}
		}
	}
	return out
}

// execForm reads the arguments of CMD or ENTRYPOINT as the exec form (a
// JSON array of strings), reporting $VARIABLES, which nothing expands
// there. ok is false for the shell form.
func (r *reader) execForm(in *instruction) ([]Word, bool) {
	t := strings.TrimSpace(in.args.text)
	if !strings.HasPrefix(t, "[") {
		return nil, false
	}
	var values []string
	if err := json.Unmarshal([]byte(t), &values); err != nil {
		// Docker runs text that is not a JSON array of strings with a
		// shell: say so, it is rarely meant.
		s := in.args.offset(strings.Index(in.args.text, "["))
		r.problem(s, in.end, "this is not a JSON array of strings, so Docker runs it with /bin/sh -c as written (brackets included); write [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]")
		return nil, true
	}
	words := jsonWords(in.args)
	if len(words) != len(values) {
		return nil, false
	}
	for i := range words {
		w := &words[i]
		if w.pos == nil {
			// Escapes: map the value's bytes into the string, roughly.
			w.pos = make([]int, len(values[i]))
			for k := range w.pos {
				w.pos[k] = min(w.Start+1+k, w.End-2)
			}
		}
		w.Value = values[i]
		if k := strings.IndexByte(values[i], '$'); k >= 0 && k+1 < len(values[i]) && (isNameByte(values[i][k+1], true) || values[i][k+1] == '{') {
			v := firstVar(values[i][k:])
			w.Unknown = v
			r.problem(w.Start, w.End, "%s", fmt.Sprintf("the exec form passes %s to the program as written, without expanding it; write the shell form (CMD %s) or a literal value", v, strings.Join(values, " ")))
		}
	}
	return words, true
}

// firstVar returns the variable reference s starts with ("$PORT",
// "${PORT}").
func firstVar(s string) string {
	if strings.HasPrefix(s, "${") {
		if k := strings.IndexByte(s, '}'); k > 0 {
			return s[:k+1]
		}
	}
	k := 1
	for k < len(s) && isNameByte(s[k], k == 1) {
		k++
	}
	return s[:k]
}

// jsonWords finds the strings of a JSON array in src and their places;
// their values are set by the caller from encoding/json. Each word's
// value bytes map to the string's content when it has no escapes.
func jsonWords(src source) []Word {
	var out []Word
	t := src.text
	for i := 0; i < len(t); i++ {
		if t[i] != '"' {
			continue
		}
		j := i + 1
		escaped := false
		for j < len(t) && t[j] != '"' {
			if t[j] == '\\' {
				escaped = true
				j++
			}
			j++
		}
		if j >= len(t) {
			break
		}
		w := Word{Value: t[i+1 : j], Start: src.offset(i), End: src.offset(j) + 1}
		if !escaped {
			w.pos = make([]int, 0, j-i-1)
			for k := i + 1; k < j; k++ {
				w.pos = append(w.pos, src.offset(k))
			}
		}
		out = append(out, w)
		i = j
	}
	return out
}

// dockerEnv reads ENV KEY=VALUE ... (or the old ENV KEY VALUE) into env.
func (r *reader) dockerEnv(in instruction, env Env) {
	words, err := splitShell(in.args, env)
	if err != nil {
		r.problem(err.start, err.end, "Docker cannot read this ENV: %s", err.msg)
		return
	}
	if len(words) == 0 {
		return
	}
	ws := words[0]
	if len(ws) > 0 && !strings.Contains(ws[0].Value, "=") {
		// ENV KEY VALUE: the value is the rest of the line.
		name := ws[0].Value
		rest := strings.TrimSpace(in.args.text[strings.Index(in.args.text, name)+len(name):])
		if len(ws) == 2 && ws[1].Unknown == "" {
			rest = ws[1].Value
		}
		env[name] = Var{Value: rest, Span: apps.SpanOf(r.f, in.start, in.end)}
		if len(ws) > 1 && ws[1].Unknown != "" {
			delete(env, name)
		}
		return
	}
	for _, w := range ws {
		name, value, ok := strings.Cut(w.Value, "=")
		if !ok || !validName(name) {
			r.problem(w.Start, w.End, "%s", fmt.Sprintf("ENV takes NAME=VALUE pairs; %q is not one", w.Value))
			continue
		}
		if w.Unknown != "" {
			delete(env, name)
			continue
		}
		env[name] = Var{Value: value, Span: apps.SpanOf(r.f, w.Start, w.End)}
	}
}

// addressFlag returns the first option of a command line that sets a
// listen address or port (-p 3000, --bind=...), "" when there is none.
func addressFlag(text string) string {
	fields := strings.Fields(text)
	for i, w := range fields {
		switch {
		case w == "-p" || w == "--port" || w == "-b" || w == "--bind" || w == "--host":
			if i+1 < len(fields) {
				return w + " " + fields[i+1]
			}
			return w
		case strings.HasPrefix(w, "--port=") || strings.HasPrefix(w, "--bind=") || strings.HasPrefix(w, "--host="):
			return w
		}
	}
	return ""
}
