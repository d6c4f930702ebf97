package nginx

import "testing"

func TestVarRef(t *testing.T) {
	tests := []struct {
		in   string
		name string
		n    int
	}{
		{"$request_uri", "request_uri", 12},
		{"$uri/x", "uri", 4},
		{"${uri}x", "uri", 6},
		{"$is_args$args", "is_args", 8},
		{"$1/x", "", 2},  // a capture
		{"$10", "", 2},   // $1, then "0"
		{"$0", "0", 2},   // not a capture: nginx reads a variable named "0"
		{"$", "", 1},     // no name
		{"$/", "", 1},    // no name
		{"${uri", "", 5}, // nginx refuses a missing "}"
		{"${}", "", 3},
		{"x", "", 1},
	}
	for _, tt := range tests {
		if name, n := VarRef(tt.in); name != tt.name || n != tt.n {
			t.Errorf("VarRef(%q) = %q, %d; want %q, %d", tt.in, name, n, tt.name, tt.n)
		}
	}
}

func TestTextStart(t *testing.T) {
	user := func(name string) VarStart {
		switch name {
		case "suffix":
			return VarEmptyOrURI
		case "path":
			return VarStartsURI
		case "host", "args", "is_args", "request_uri":
			t.Errorf("user asked about nginx's own variable $%s", name)
		}
		return VarStartsAny
	}
	tests := []struct {
		in   string
		user bool
		want VarStart
	}{
		{"", false, VarEmptyOrURI},
		{"/x", false, VarStartsURI},
		{"?a=1", false, VarStartsURI},
		{":8080/", false, VarStartsAny}, // a port: the host is complete, but names no upstream block
		{"x", false, VarStartsAny},
		{"$request_uri", false, VarStartsURI},
		{"$REQUEST_URI", false, VarStartsURI},
		{"${request_uri}", false, VarStartsURI},
		{"$uri", false, VarStartsURI},
		{"$document_uri$is_args$args", false, VarStartsURI},
		{"$is_args", false, VarEmptyOrURI},
		{"$is_args$args", false, VarEmptyOrURI},
		{"$is_args$query_string", false, VarEmptyOrURI},
		{"$is_args/x", false, VarStartsURI},
		{"$is_args$host", true, VarStartsAny},
		{"$is_argsx", false, VarStartsAny}, // the variable $is_argsx
		{"$host", true, VarStartsAny},
		{"$args", true, VarStartsAny}, // changeable, but nginx's own
		{"$1", true, VarStartsAny},
		{"$suffix", false, VarStartsAny}, // nothing is known of user variables
		{"$suffix", true, VarEmptyOrURI},
		{"$SUFFIX", true, VarEmptyOrURI},
		{"$suffix$suffix", true, VarEmptyOrURI},
		{"$suffix/", true, VarStartsURI},
		{"$suffix$path", true, VarStartsURI},
		{"$suffix.example.com", true, VarStartsAny},
		{"$other", true, VarStartsAny},
	}
	for _, tt := range tests {
		var u func(string) VarStart
		if tt.user {
			u = user
		}
		if got := TextStart(tt.in, u); got != tt.want {
			t.Errorf("TextStart(%q, user %v) = %d, want %d", tt.in, tt.user, got, tt.want)
		}
	}
}
