package compose

import (
	"fmt"
	"testing"

	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/syntax"
)

// FuzzRead reads arbitrary compose files (and a second file they may
// include or extend): the reader never panics, and every span it returns
// is inside the file it names.
func FuzzRead(f *testing.F) {
	seeds := []string{
		"services:\n  api:\n    image: api\n    ports: [\"8080:8000\", \"127.0.0.1:9000-9001:9000-9001/udp\"]\n    expose: [3000]\n",
		"services:\n  web:\n    image: nginx\n    volumes: [\"./nginx:/etc/nginx:ro\"]\n    networks: [front]\nnetworks:\n  front:\n",
		"include: [other.yaml]\nservices:\n  a:\n    extends:\n      file: other.yaml\n      service: b\n",
		"x: &a {image: x}\nservices:\n  a:\n    <<: *a\n    command: sh -c 'echo $$HOME'\n    environment: [A=1, B]\n",
		"services:\n  a:\n    image: x\n    ports:\n      - target: 80\n        published: ${P:-8080}\n    expose: !reset []\n",
		"services:\n  a:\n    network_mode: service:b\n  b:\n    image: x\n    env_file: [other.yaml]\n",
		"services: {a: {image: x, ports: [\"1-3:4-5\"]}}",
		"services:\n  a:\n    command: >\n      gunicorn\n      -b 0.0.0.0:8000\n",
	}
	for _, s := range seeds {
		f.Add(s, "services:\n  b:\n    image: y\n    expose: [\"8000\"]\n")
	}
	f.Fuzz(func(t *testing.T, src, other string) {
		files := map[string]*syntax.File{
			"/repo/compose.yaml": {Name: "compose.yaml", Path: "/repo/compose.yaml", Src: src},
			"/repo/other.yaml":   {Name: "other.yaml", Path: "/repo/other.yaml", Src: other},
		}
		load := func(path string) (*syntax.File, error) {
			if f, ok := files[path]; ok {
				return f, nil
			}
			return nil, fmt.Errorf("no %s", path)
		}
		p, probs := Read(files["/repo/compose.yaml"], map[string]string{"P": "80"}, load)
		check := func(what string, s apps.Span) {
			if s.IsZero() {
				return
			}
			if s.Start < 0 || s.Start > s.End || s.End > len(s.File.Src) {
				t.Fatalf("%s: span [%d, %d) outside %s (%d bytes)", what, s.Start, s.End, s.File.Name, len(s.File.Src))
			}
		}
		for _, pr := range probs {
			if pr.Span.File == nil {
				t.Fatalf("problem without a file: %s", pr.Msg)
			}
			check("problem "+pr.Msg, pr.Span)
		}
		if p == nil {
			if len(probs) == 0 {
				t.Fatal("no project and no problem")
			}
			return
		}
		for _, s := range p.Services {
			check("service", s.Span)
			check("image", s.ImageSpan)
			check("network_mode", s.NetworkModeSpan)
			for _, x := range append(s.Ports, s.Expose...) {
				check("port", x.Span)
			}
			for _, m := range s.Volumes {
				check("volume", m.Span)
			}
			for _, e := range s.Environment {
				check("env", e.Span)
			}
			for _, w := range append(s.Command.WordSpans, s.Command.Span) {
				check("command", w)
			}
			for _, n := range s.NetworkSpan {
				check("network", n)
			}
		}
		for _, a := range p.Apps() {
			for _, b := range a.Binds {
				check("bind", b.Span)
			}
		}
	})
}
