package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// repo reads a bare git directory with git itself: ls-tree to list a
// tree, one long-running cat-file --batch to read blobs. Nothing is
// checked out.
type repo struct {
	dir string
	cat *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func openRepo(dir string) (*repo, error) {
	r := &repo{dir: dir}
	if _, err := r.git("rev-parse", "--git-dir"); err != nil {
		return nil, err
	}
	return r, nil
}

// git runs a git command in the repository and returns its output.
func (r *repo) git(args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git -C %s %s: %v: %s", r.dir, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// entry is a file of a tree.
type entry struct {
	path, blob string
}

// files lists the files of rev under the given paths (all when none).
func (r *repo) files(rev string, paths ...string) ([]entry, error) {
	args := append([]string{"ls-tree", "-r", "--full-tree", rev, "--"}, paths...)
	out, err := r.git(args...)
	if err != nil {
		return nil, err
	}
	var files []entry
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		// <mode> SP <type> SP <object> TAB <path>
		meta, path, ok := strings.Cut(line, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 || fields[1] != "blob" {
			continue
		}
		files = append(files, entry{path: path, blob: fields[2]})
	}
	return files, nil
}

// read returns the content of a blob.
func (r *repo) read(blob string) ([]byte, error) {
	if r.cat == nil {
		r.cat = exec.Command("git", "-C", r.dir, "cat-file", "--batch")
		in, err := r.cat.StdinPipe()
		if err != nil {
			return nil, err
		}
		out, err := r.cat.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := r.cat.Start(); err != nil {
			return nil, err
		}
		r.in, r.out = in, bufio.NewReaderSize(out, 1<<20)
	}
	if _, err := io.WriteString(r.in, blob+"\n"); err != nil {
		return nil, err
	}
	header, err := r.out.ReadString('\n')
	if err != nil {
		return nil, err
	}
	// <object> SP <type> SP <size> LF, or <object> SP missing LF
	fields := strings.Fields(header)
	if len(fields) != 3 {
		return nil, fmt.Errorf("git cat-file %s: %s", blob, strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(fields[2])
	if err != nil {
		return nil, fmt.Errorf("git cat-file %s: %s", blob, strings.TrimSpace(header))
	}
	data := make([]byte, size+1) // and the LF after the content
	if _, err := io.ReadFull(r.out, data); err != nil {
		return nil, err
	}
	return data[:size], nil
}

func (r *repo) close() {
	if r.cat != nil {
		_ = r.in.Close() // cat-file ends at the end of its input
		_ = r.cat.Wait()
		r.cat = nil
	}
}
