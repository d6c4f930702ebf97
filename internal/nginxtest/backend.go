package nginxtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	maxLineBytes   = 64 << 10 // longest request or header line
	maxHeaders     = 1000
	maxBodyBytes   = 64 << 20
	maxUnixPathLen = 104 // sun_path is 104 bytes on BSDs and macOS, 108 on Linux
	writeTimeout   = 10 * time.Second
)

// Request is one request received by a Backend.
type Request struct {
	// Line is the request line as received, without CRLF, such as
	// "GET /x HTTP/1.0".
	Line string
	// Headers are the header fields in the order received, with names as
	// sent and values stripped of surrounding whitespace.
	Headers [][2]string
	// ConnID identifies the connection the request came on: 1 for the
	// backend's first accepted connection, 2 for the second, and so on.
	ConnID int
	// Body is the request body (Content-Length or chunked).
	Body []byte
}

// Header returns the value of the first header field named name (compared
// case-insensitively) and whether there is one.
func (r Request) Header(name string) (string, bool) {
	for _, h := range r.Headers {
		if strings.EqualFold(h[0], name) {
			return h[1], true
		}
	}
	return "", false
}

// Backend is a minimal HTTP/1.1 server reading raw requests, so that tests
// see the request line and headers exactly as nginx sent them (net/http
// would normalise both). Every request gets status 200 and a text/plain body
// made of the line "REQUEST <request line>" followed by one line
// "HEADER <Name>: <value>" per header field, in order. Connections are kept
// open between requests for HTTP/1.1 unless the client sent
// "Connection: close", and for HTTP/1.0 only when it sent
// "Connection: keep-alive".
type Backend struct {
	// Addr is the bound address: "127.0.0.1:41235", "[::1]:41236", or the
	// socket path for network "unix".
	Addr string
	// Network is "tcp4", "tcp6" or "unix".
	Network string

	ln     net.Listener
	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
	nextID int
	reqs   []Request
}

// StartBackend starts a Backend on network "tcp4" (addr such as
// "127.0.0.1:0"), "tcp6" (such as "[::1]:0") or "unix" (addr is the socket
// path, which must not exist). TCP addresses must be on loopback. A unix
// socket is made world-writable, so that nginx workers running as another
// user can connect when its directory lets them. A cleanup registered with t
// closes the listener and every connection and waits for the backend's
// goroutines.
func StartBackend(t testing.TB, network, addr string) *Backend {
	t.Helper()
	switch network {
	case "tcp4", "tcp6":
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			t.Fatalf("nginxtest.StartBackend: %v", err)
		}
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() || (network == "tcp4") != (ip.To4() != nil) {
			t.Fatalf("nginxtest.StartBackend: %s address %q is not a loopback IP of that family", network, addr)
		}
	case "unix":
		if len(addr) >= maxUnixPathLen {
			t.Fatalf("nginxtest.StartBackend: unix socket path %q is longer than %d bytes", addr, maxUnixPathLen-1)
		}
	default:
		t.Fatalf("nginxtest.StartBackend: unsupported network %q (want tcp4, tcp6 or unix)", network)
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Fatalf("nginxtest.StartBackend: %v", err)
	}
	b := &Backend{Network: network, ln: ln, conns: map[net.Conn]struct{}{}}
	if network == "unix" {
		b.Addr = addr
		if err := os.Chmod(addr, 0o777); err != nil {
			ln.Close()
			t.Fatalf("nginxtest.StartBackend: %v", err)
		}
	} else {
		b.Addr = ln.Addr().String()
	}
	b.wg.Add(1)
	go b.acceptLoop()
	t.Cleanup(b.Close)
	return b
}

// Requests returns the requests received so far, in order of arrival.
func (b *Backend) Requests() []Request {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Request(nil), b.reqs...)
}

// Close stops the backend: it closes the listener and every open
// connection and waits for the backend's goroutines. It is called by the
// test's cleanup; calling it earlier, or again, is harmless.
func (b *Backend) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		b.ln.Close()
		for c := range b.conns {
			c.Close()
		}
	}
	b.mu.Unlock()
	b.wg.Wait()
}

func (b *Backend) acceptLoop() {
	defer b.wg.Done()
	for {
		c, err := b.ln.Accept()
		if err != nil {
			b.mu.Lock()
			closed := b.closed
			b.mu.Unlock()
			if closed || !isTemporary(err) {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			c.Close()
			return
		}
		b.nextID++
		id := b.nextID
		b.conns[c] = struct{}{}
		b.wg.Add(1)
		b.mu.Unlock()
		go b.serve(c, id)
	}
}

// isTemporary reports whether an Accept error is worth retrying (such as
// running out of file descriptors).
func isTemporary(err error) bool {
	var te interface{ Temporary() bool }
	return errors.As(err, &te) && te.Temporary()
}

// serve answers the requests of one connection.
func (b *Backend) serve(c net.Conn, id int) {
	defer b.wg.Done()
	defer func() {
		c.Close()
		b.mu.Lock()
		delete(b.conns, c)
		b.mu.Unlock()
	}()
	br := bufio.NewReaderSize(c, maxLineBytes)
	bw := bufio.NewWriter(c)
	for {
		req, keepAlive, err := readRequest(br)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.SetWriteDeadline(time.Now().Add(writeTimeout))
				msg := err.Error() + "\n"
				fmt.Fprintf(bw, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(msg), msg)
				bw.Flush()
			}
			return
		}
		req.ConnID = id
		b.mu.Lock()
		b.reqs = append(b.reqs, req)
		b.mu.Unlock()
		if err := writeEcho(c, bw, req, keepAlive); err != nil || !keepAlive {
			return
		}
	}
}

// writeEcho writes the response to req.
func writeEcho(c net.Conn, bw *bufio.Writer, req Request, keepAlive bool) error {
	var body strings.Builder
	body.WriteString("REQUEST " + req.Line + "\n")
	for _, h := range req.Headers {
		body.WriteString("HEADER " + h[0] + ": " + h[1] + "\n")
	}
	method, _, _ := strings.Cut(req.Line, " ")
	version := req.Line[strings.LastIndexByte(req.Line, ' ')+1:]
	c.SetWriteDeadline(time.Now().Add(writeTimeout))
	fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n", body.Len())
	switch {
	case !keepAlive:
		bw.WriteString("Connection: close\r\n")
	case version == "HTTP/1.0":
		bw.WriteString("Connection: keep-alive\r\n")
	}
	bw.WriteString("\r\n")
	if method != "HEAD" {
		bw.WriteString(body.String())
	}
	return bw.Flush()
}

// readRequest reads one request from br and reports whether the connection
// may carry another one afterwards. It returns io.EOF when the connection
// ends cleanly before a request.
func readRequest(br *bufio.Reader) (req Request, keepAlive bool, err error) {
	line, err := readLine(br)
	for err == nil && line == "" { // RFC 9112: ignore empty lines before a request
		line, err = readLine(br)
	}
	if err != nil {
		return req, false, err
	}
	fields := strings.Split(line, " ")
	if len(fields) != 3 || fields[0] == "" || fields[1] == "" || !strings.HasPrefix(fields[2], "HTTP/") {
		return req, false, fmt.Errorf("malformed request line %q", line)
	}
	req.Line = line
	version := fields[2]
	for {
		h, err := readLine(br)
		if err != nil {
			return req, false, noEOF(err)
		}
		if h == "" {
			break
		}
		if h[0] == ' ' || h[0] == '\t' { // obsolete line folding
			if len(req.Headers) == 0 {
				return req, false, fmt.Errorf("malformed header line %q", h)
			}
			last := &req.Headers[len(req.Headers)-1]
			last[1] = strings.TrimSpace(last[1] + " " + strings.TrimSpace(h))
			continue
		}
		name, value, ok := strings.Cut(h, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return req, false, fmt.Errorf("malformed header line %q", h)
		}
		if len(req.Headers) == maxHeaders {
			return req, false, fmt.Errorf("more than %d header fields", maxHeaders)
		}
		req.Headers = append(req.Headers, [2]string{name, strings.Trim(value, " \t")})
	}

	connection := strings.ToLower(headerValues(req.Headers, "Connection"))
	switch version {
	case "HTTP/1.1":
		keepAlive = !hasToken(connection, "close")
	default:
		keepAlive = hasToken(connection, "keep-alive")
	}

	if te := headerValues(req.Headers, "Transfer-Encoding"); te != "" {
		if !hasToken(strings.ToLower(te), "chunked") {
			return req, false, fmt.Errorf("unsupported Transfer-Encoding %q", te)
		}
		req.Body, err = readChunked(br)
		return req, keepAlive, err
	}
	if cl := headerValues(req.Headers, "Content-Length"); cl != "" {
		n, err := strconv.ParseInt(cl, 10, 64)
		if err != nil || n < 0 || n > maxBodyBytes {
			return req, false, fmt.Errorf("bad Content-Length %q", cl)
		}
		req.Body = make([]byte, n)
		if _, err := io.ReadFull(br, req.Body); err != nil {
			return req, false, noEOF(err)
		}
	}
	return req, keepAlive, nil
}

// readChunked reads a chunked body and its trailer section.
func readChunked(br *bufio.Reader) ([]byte, error) {
	var body []byte
	for {
		line, err := readLine(br)
		if err != nil {
			return nil, noEOF(err)
		}
		sizeText, _, _ := strings.Cut(line, ";")
		size, err := strconv.ParseInt(strings.TrimSpace(sizeText), 16, 64)
		if err != nil || size < 0 || int64(len(body))+size > maxBodyBytes {
			return nil, fmt.Errorf("bad chunk size line %q", line)
		}
		if size == 0 {
			break
		}
		chunk := make([]byte, size)
		if _, err := io.ReadFull(br, chunk); err != nil {
			return nil, noEOF(err)
		}
		body = append(body, chunk...)
		if crlf, err := readLine(br); err != nil || crlf != "" {
			return nil, fmt.Errorf("missing CRLF after chunk")
		}
	}
	for { // trailer fields, ignored
		line, err := readLine(br)
		if err != nil {
			return nil, noEOF(err)
		}
		if line == "" {
			return body, nil
		}
	}
}

// readLine reads a line ending in LF (with or without CR) and returns it
// without the line ending.
func readLine(br *bufio.Reader) (string, error) {
	b, err := br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", fmt.Errorf("line longer than %d bytes", maxLineBytes)
		}
		if errors.Is(err, io.EOF) && len(b) > 0 {
			return "", io.ErrUnexpectedEOF
		}
		return "", err
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return string(b), nil
}

// noEOF turns io.EOF in the middle of a request into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// headerValues returns the values of every field named name, joined with
// ", ".
func headerValues(headers [][2]string, name string) string {
	var vals []string
	for _, h := range headers {
		if strings.EqualFold(h[0], name) {
			vals = append(vals, h[1])
		}
	}
	return strings.Join(vals, ", ")
}

// hasToken reports whether the comma-separated list contains token.
func hasToken(list, token string) bool {
	for _, t := range strings.Split(list, ",") {
		if strings.TrimSpace(t) == token {
			return true
		}
	}
	return false
}
