package workspace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/nginxlint/nginxlint/lint/stock"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// otherExts are extensions of files that are not nginx configuration:
// certificates and keys, pages and assets, code, data, documentation.
var otherExts = map[string]string{}

func init() {
	for why, exts := range map[string]string{
		"a certificate or key":              "pem crt cer key csr der p12 pfx jks keystore",
		"a web page or asset":               "html htm xhtml css js mjs map svg png jpg jpeg gif ico webp avif bmp woff woff2 ttf otf eot wasm",
		"documentation or text":             "md markdown rst txt adoc asciidoc org pdf",
		"data":                              "json toml yaml yml xml csv tsv ini cfg properties env sql db sqlite mmdb dat lock sum",
		"code":                              "go py rb php pl pm lua ts java c h cc cpp rs sh bash zsh fish ps1 bat cmd awk sed",
		"an archive or binary":              "gz tgz bz2 xz zst zip tar rar 7z so a o exe dll deb rpm apk jar class pyc",
		"a log or runtime file":             "log pid sock",
		"a template, not nginx's own input": "j2 jinja jinja2 tmpl tpl template erb mustache hbs njk liquid in",
		"a backup or editor file":           "bak orig rej swp swo tmp old dist sample example",
	} {
		for _, e := range strings.Fields(exts) {
			otherExts[e] = why
		}
	}
}

// otherNames are file names that are never nginx configuration.
var otherNames = map[string]bool{
	"Dockerfile": true, "Containerfile": true, "Makefile": true, "Procfile": true,
	"Vagrantfile": true, "Jenkinsfile": true, "Gemfile": true, "Rakefile": true,
	"README": true, "LICENSE": true, "LICENCE": true, "COPYING": true, "NOTICE": true,
	"AUTHORS": true, "CHANGELOG": true, "CHANGES": true, "VERSION": true,
	"htpasswd": true, "passwd": true, "CODEOWNERS": true,
}

// copyExts are extensions of copies of a file (site.conf.sample,
// default.conf.disabled, nginx.conf.bak): such a file is what its name
// without the extension is, and is linted as such (nginx does not load
// it, but a copy is what gets enabled or restored).
var copyExts = map[string]bool{"sample": true, "example": true, "dist": true, "default": true, "disabled": true, "bak": true, "orig": true, "old": true, "save": true}

// configExts are extensions nginx configuration is written with.
var configExts = map[string]bool{"conf": true, "nginx": true, "nginxconf": true, "vhost": true, "types": true}

// sniffSize is how much of a file of unknown kind is read to tell whether
// it is nginx configuration.
const sniffSize = 4 << 10

// Classify tells whether the file at path is nginx configuration, by its
// name and, where the name does not say, by its content: text whose first
// directive is one nginx knows (known, which may also accept a near miss
// such as a typo). why says what it is otherwise.
//
// In a tree that is surely nginx's (anchored: its root holds nginx.conf,
// or a configuration or --root says so), a *.conf file and any file in
// sites-available/, conf.d/ ... is configuration by its name. Elsewhere
// other tools' files have those names too (php-fpm's pool.d/www.conf,
// supervisor's conf.d/app.conf), and the content decides.
func Classify(path string, known func(string) bool, anchored bool) (ok bool, why string) {
	return classifyFile(path, known, anchored, true)
}

// classifyInTree is Classify for a file of a tree that is read whole
// (Load): a *.conf file its name says is configuration is not opened to
// see whether it is an INI file, since Load reads it anyway; Load looks
// at its text then (iniFragment), when no include reaches it.
func classifyInTree(path string, known func(string) bool, anchored bool) (ok bool, why string) {
	return classifyFile(path, known, anchored, false)
}

func classifyFile(path string, known func(string) bool, anchored, checkINI bool) (ok bool, why string) {
	// The head is read into a pooled buffer, given back once classify
	// is done with it (it keeps none of it).
	var buf *[sniffSize]byte
	defer func() {
		if buf != nil {
			headBuffers.Put(buf)
		}
	}()
	return classify(path, func() ([]byte, error) {
		f, err := syntax.OpenRead(path)
		if err != nil {
			return nil, err
		}
		defer f.Close() //nolint:errcheck // read-only
		if buf == nil {
			buf = headBuffers.Get().(*[sniffSize]byte)
		}
		// One read: a regular file gives what it holds up to the
		// buffer's size, and a shorter head only leaves the name to
		// decide. A file shorter than sniffSize is not read again for
		// its end.
		n, err := f.Read(buf[:])
		if errors.Is(err, io.EOF) {
			err = nil // an empty file
		}
		return buf[:n], err
	}, known, anchored, checkINI)
}

// ClassifyLink is Classify for a symbolic link, which is classified by
// its name alone: nothing is read through a link to classify it, since
// it may lead out of the tree (to a file nginxlint is not entitled to
// read, or to the machine's own /etc/nginx), to a FIFO or to a device.
// Where the name does not decide, the link is not linted; the file it
// leads to is, where it stands, when that is in the tree. A link the name
// says is configuration is linted through its target, which the loader
// resolves inside the tree (or reports).
func ClassifyLink(path string, anchored bool) (ok bool, why string) {
	if ok, why, sure := classifyName(path, anchored); sure {
		return ok, why
	}
	return false, "a symbolic link whose name does not say it is nginx configuration (nothing is read through a link to find out)"
}

// headBuffers holds the buffers Classify reads heads into: a tree of
// many small files would otherwise allocate sniffSize bytes a file.
var headBuffers = sync.Pool{New: func() any { return new([sniffSize]byte) }}

// ClassifyText is Classify for a file whose text is in hand (a tree held
// in memory): path is its slash path in the tree.
func ClassifyText(path, text string, known func(string) bool, anchored bool) (ok bool, why string) {
	return classify(path, func() ([]byte, error) { return []byte(text[:min(len(text), sniffSize)]), nil }, known, anchored, true)
}

// classify is Classify with head reading the first sniffSize bytes of
// the file, when the name does not decide.
func classify(path string, head func() ([]byte, error), known func(string) bool, anchored, checkINI bool) (ok bool, why string) {
	if ok, why, sure := classifyName(path, anchored); sure {
		if checkINI && mayBeINI(path, ok) {
			if h, err := head(); err == nil && iniSection(h) {
				return false, iniWhy
			}
		}
		return ok, why
	}
	h, err := head()
	if err != nil {
		return true, "" // linted, so that the read error is reported
	}
	return sniff(h, known)
}

// classifyName decides by the name alone when it can (sure).
func classifyName(path string, anchored bool) (ok bool, why string, sure bool) {
	base := filepath.Base(path)
	for {
		i := strings.LastIndexByte(base, '.')
		if i <= 0 || !copyExts[strings.ToLower(base[i+1:])] {
			break
		}
		base = base[:i]
	}
	ext := ""
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		ext = strings.ToLower(base[i+1:])
	}
	stem := base
	if i := strings.IndexByte(base, '.'); i > 0 {
		stem = base[:i]
	}
	switch {
	case base == ManifestName:
		return false, "the backend manifest", true
	case base == MainName || isStockName(base):
		return true, "", true
	case otherExts[ext] != "":
		return false, otherExts[ext] + " (." + ext + ")", true
	case otherNames[stem] || otherNames[strings.ToUpper(stem)] || strings.HasPrefix(base, "docker-compose"):
		return false, "not nginx configuration (" + base + ")", true
	case anchored && (configExts[ext] || layoutDirs[filepath.Base(filepath.Dir(path))]):
		return true, "", true
	}
	return false, "", false
}

// isStockName reports whether base is the name of a file the nginx
// packages install (fastcgi_params, mime.types ...).
func isStockName(base string) bool { return stockNames()[base] }

// stockNames holds the base names of the files of every stock set.
var stockNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	for _, set := range stock.Sets() {
		for _, rel := range stock.Files(set) {
			names[filepath.Base(rel)] = true
		}
	}
	return names
})

// sniff tells nginx configuration from other text by the first directive.
func sniff(head []byte, known func(string) bool) (bool, string) {
	if bytes.IndexByte(head, 0) >= 0 {
		return false, "a binary file"
	}
	f := &syntax.File{Name: "sniff", Src: string(head)}
	syntax.Parse(f, nil)
	if len(bytes.TrimSpace(head)) == 0 || onlyComments(head) {
		return true, "" // empty or comments only: a valid fragment anywhere
	}
	var name string
	if ds := f.Directives(); len(ds) > 0 {
		name = ds[0].Name()
	} else {
		name = firstWord(head) // the text did not even parse
	}
	if name == "include" || known != nil && isName(name) && known(name) {
		return true, ""
	}
	return false, fmt.Sprintf("does not look like nginx configuration (it starts with %q, which is no nginx directive)", clip(name))
}

// isName reports whether s could be a directive's name: lowercase
// letters, digits and underscores ("[www]" and "user=nobody" cannot).
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// firstWord returns the first word of text that is not a comment.
func firstWord(b []byte) string {
	for _, line := range bytes.Split(b, []byte("\n")) {
		if f := bytes.Fields(line); len(f) > 0 && f[0][0] != '#' {
			return string(f[0])
		}
	}
	return ""
}

func onlyComments(b []byte) bool {
	for line := range bytes.Lines(b) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// dependencyDirs are directories of other tools' dependencies that a
// repository may hold next to its nginx tree: never configuration, and
// often very large.
var dependencyDirs = map[string]bool{
	"node_modules": true, "bower_components": true, "vendor": true,
	"venv": true, "__pycache__": true, "site-packages": true,
}

// Walk lists the nginx configuration files under dir, in lexical order,
// skipping hidden files and directories (.git ...), directories of
// dependencies, and files that classify says are not configuration (they
// are returned as skips, with the reason). Symbolic links to directories
// are not followed; classify is told when path is a link to something
// else, which it must not read through (see ClassifyLink).
func Walk(dir string, classify func(path string, link bool) (bool, string)) (files []string, skips []Skip, err error) {
	count := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("cannot read %s: %v", p, pathErr(err))
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != dir && dependencyDirs[d.Name()] {
				skips = append(skips, Skip{Path: p, Why: "a directory of dependencies, not configuration"})
				return filepath.SkipDir
			}
			return nil
		}
		if count++; count > syntax.MaxFiles {
			return fmt.Errorf("%s: more than %d files; nginxlint reads at most that many (name the tree's directory, not one above it)", dir, syntax.MaxFiles)
		}
		link := d.Type()&fs.ModeSymlink != 0
		if link {
			// A link is linted through its target, when that is in the
			// tree; a link to a directory is not followed.
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			skips = append(skips, Skip{Path: p, Why: "not a regular file"})
			return nil
		}
		if ok, why := classify(p, link); ok {
			files = append(files, p)
		} else {
			skips = append(skips, Skip{Path: p, Why: why})
		}
		return nil
	})
	return files, skips, err
}

// mayBeINI reports whether a file its name says is configuration (ok)
// may be an INI file all the same: php-fpm's pools, supervisord's and
// uWSGI's files share the .conf extension. No nginx directive starts with
// "[", so the file's first words tell (iniSection). Such a file is read
// still when nginx.conf includes it.
func mayBeINI(path string, ok bool) bool {
	return ok && strings.EqualFold(filepath.Ext(path), ".conf") && filepath.Base(path) != MainName
}

// iniWhy is why an INI file is not linted.
const iniWhy = "an INI file (it starts with a [section]: php-fpm, supervisord, uWSGI ...), not nginx configuration"

// iniSection reports whether the first word of head (a file's start) that is
// not a comment (# or ;) is an INI section header ("[www]").
func iniSection(head []byte) bool {
	for line := range bytes.Lines(head) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' || line[0] == ';' {
			continue
		}
		return line[0] == '[' && bytes.IndexByte(line, ']') > 1
	}
	return false
}
