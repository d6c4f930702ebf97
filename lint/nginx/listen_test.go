package nginx

import "testing"

func TestParseListen(t *testing.T) {
	for _, c := range []struct {
		arg    string
		listen bool
		want   ListenAddr
		ok     bool
	}{
		{"80", true, ListenAddr{"0.0.0.0:80", "80", true}, true},
		{"*:8080", true, ListenAddr{"0.0.0.0:8080", "8080", true}, true},
		{"127.0.0.1", true, ListenAddr{"127.0.0.1:80", "", true}, true},
		{"127.0.0.1:65536", true, ListenAddr{"127.0.0.1:65536", "65536", false}, true},
		{"0", true, ListenAddr{"0.0.0.0:0", "0", false}, true},
		{"[::]:443", true, ListenAddr{"[::]:443", "443", true}, true},
		{"[::1]", true, ListenAddr{"[::1]:80", "", true}, true},
		{"Example.COM:81", true, ListenAddr{"example.com:81", "81", true}, true},
		{"unix:/run/nginx.sock", true, ListenAddr{"unix:/run/nginx.sock", "", true}, true},
		{"8080", false, ListenAddr{"8080:80", "", true}, true}, // a host named 8080 on a server line
		{"$addr", true, ListenAddr{}, false},
	} {
		got, ok := ParseListen(c.arg, c.listen)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseListen(%q, %v) = %+v, %v; want %+v, %v", c.arg, c.listen, got, ok, c.want, c.ok)
		}
	}
}
