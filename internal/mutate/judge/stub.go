package judge

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"embed"
	"encoding/pem"
	"io/fs"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"sync"
	"time"
)

// stock holds the files Debian's nginx packages install in /etc/nginx
// (mime.types, fastcgi_params ...; see testdata/stock/README.md) and
// RFC 7919's ffdhe2048 group: what configurations include or name without
// shipping it.
//
//go:embed testdata/stock testdata/ffdhe2048.pem
var stock embed.FS

// stockFile returns the content of the stock file rel (a path relative to
// /etc/nginx, such as "snippets/fastcgi-php.conf"), or of the stock file
// with rel's base name; ok is false when there is none.
func stockFile(rel string) ([]byte, bool) {
	if data, err := stock.ReadFile(path.Join("testdata/stock", rel)); err == nil {
		return data, true
	}
	var found []byte
	_ = fs.WalkDir(stock, "testdata/stock", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && found == nil && path.Base(p) == path.Base(rel) && path.Base(p) != "README.md" {
			found, _ = stock.ReadFile(p)
		}
		return nil
	})
	return found, found != nil
}

var (
	certOnce        sync.Once
	certPEM, keyPEM []byte
	certErr         error
)

// stubPair returns a self-signed certificate and its key, made once: every
// stub certificate is the same, so that any stub key matches any stub
// certificate.
func stubPair() ([]byte, []byte, error) {
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			certErr = err
			return
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "nginxlint-harness.invalid"},
			DNSNames:     []string{"nginxlint-harness.invalid"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(24 * time.Hour),
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			certErr = err
			return
		}
		kder, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			certErr = err
			return
		}
		certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
	})
	return certPEM, keyPEM, certErr
}

// stubContent returns the content of a stub of the given kind (see
// pathArgs).
func stubContent(kind string) ([]byte, error) {
	switch kind {
	case "cert", "key":
		c, k, err := stubPair()
		if kind == "cert" {
			return c, err
		}
		return k, err
	case "dhparam":
		return stock.ReadFile("testdata/ffdhe2048.pem")
	case "password":
		return []byte("nginxlint\n"), nil
	case "ticket":
		b := make([]byte, 80)
		for i := range b {
			b[i] = byte(i)
		}
		return b, nil
	}
	return nil, nil
}

// writeStub writes a stub of the given kind at p, with its directories.
func writeStub(p, kind string) error {
	data, err := stubContent(kind)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o600)
}
