package format

import (
	"bytes"
	"strings"
	"testing"
)

// TestEncodeJSONList checks that writing a list element by element makes
// the document encodeJSON makes of the whole, byte for byte: lists at the
// top, in the top object and nested deeper, empty or not, with strings
// that hold what the escaping changes, HTML, and the text of the empty
// list's own line.
func TestEncodeJSONList(t *testing.T) {
	type item struct {
		Name  string   `json:"name"`
		Items []string `json:"items,omitempty"` // same key, deeper: not the list
		N     int      `json:"n"`
	}
	type inner struct {
		Kind  string `json:"kind"`
		Items []item `json:"items"`
		After string `json:"after,omitempty"`
	}
	type outer struct {
		Items []item  `json:"items"`
		Runs  []inner `json:"runs"`
		Note  string  `json:"note"`
	}
	hostile := []string{
		"plain", "##[error]forged", "line\nbreak", "<b>&amp;</b>", "bidi\u202eevil", "del\x7f c1\u0085",
		"\n  \"items\": []", `"items": []`, "日本 \U0001F600", "",
	}
	items := func(n int) []item {
		out := []item{} // as the formats' lists: never nil
		for i := range n {
			it := item{Name: hostile[i%len(hostile)], N: i}
			if i%3 == 0 {
				it.Items = []string{hostile[(i+1)%len(hostile)]}
			}
			out = append(out, it)
		}
		return out
	}
	for _, n := range []int{0, 1, 3, 25, 1500} { // 1,500: in chunks, on several processors
		for _, html := range []bool{true, false} {
			list := items(n)
			check := func(name string, whole any, write func(w *bytes.Buffer) error) {
				t.Helper()
				var want, got bytes.Buffer
				if err := encodeJSON(&want, whole, html); err != nil {
					t.Fatal(err)
				}
				if err := write(&got); err != nil {
					t.Fatalf("%s, %d elements, html %v: %v", name, n, html, err)
				}
				if got.String() != want.String() {
					t.Errorf("%s, %d elements, html %v:\ngot:\n%s\nwant:\n%s", name, n, html, got.String(), want.String())
				}
			}
			// The list as the whole document.
			check("top", append([]item{}, list...), func(w *bytes.Buffer) error {
				return encodeJSONList(w, []item{}, "", 0, list, html)
			})
			// The list as the first field of the top object, with the same
			// key deeper in the document.
			nested := []inner{{Kind: "k", Items: items(2), After: "x"}}
			check("field", outer{Items: list, Runs: nested, Note: "##[n]"}, func(w *bytes.Buffer) error {
				return encodeJSONList(w, outer{Items: []item{}, Runs: nested, Note: "##[n]"}, "items", 1, list, html)
			})
			// The list in the first element of a list of the top object.
			check("nested", outer{Items: items(1), Runs: []inner{{Kind: "k", Items: list, After: "y"}}}, func(w *bytes.Buffer) error {
				return encodeJSONList(w, outer{Items: items(1), Runs: []inner{{Kind: "k", Items: []item{}, After: "y"}}}, "items", 3, list, html)
			})
		}
	}
	// A list that is not there, or not once, is an error, not a wrong
	// document.
	var buf bytes.Buffer
	if err := encodeJSONList(&buf, outer{Items: []item{}}, "items", 2, items(1), true); err == nil || !strings.Contains(err.Error(), "no single") {
		t.Errorf("list at the wrong depth: %v", err)
	}
	twice := outer{Runs: []inner{{Items: []item{}}, {Items: []item{}}}}
	if err := encodeJSONList(&buf, twice, "items", 3, items(1), true); err == nil {
		t.Errorf("list found twice: no error")
	}
}
