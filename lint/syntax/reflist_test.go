package syntax

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRefList checks that a RefList gives back what was added, in order:
// references near and far from the one before (as a walk adds them, and
// from one instance to another), tags of every size, and growth midway.
func TestRefList(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	type entry struct {
		ref Ref
		tag uint32
	}
	var want []entry
	var l RefList
	if l.Len() != 0 {
		t.Fatalf("empty list has length %d", l.Len())
	}
	for range l.All() {
		t.Fatal("empty list yields a reference")
	}
	cur := Ref{}
	for i := range 20000 {
		switch r.IntN(8) {
		case 0: // another instance
			cur.inst = r.Int32N(math.MaxInt32)
			cur.node = r.Int32N(1000)
		case 1: // a jump into a block's kids, or back
			cur.node = r.Int32N(math.MaxInt32)
		case 2:
			cur.node = 0
		default: // the next sibling
			cur.node++
		}
		var tag uint32
		switch r.IntN(4) {
		case 0:
			tag = r.Uint32()
		case 1:
			tag = math.MaxUint32
		default:
			tag = r.Uint32N(200)
		}
		if i == 10000 {
			l.Grow(5000)
		}
		l.Append(cur, tag)
		want = append(want, entry{cur, tag})
	}
	if l.Len() != len(want) {
		t.Fatalf("Len() = %d, want %d", l.Len(), len(want))
	}
	i := 0
	for ref, tag := range l.All() {
		if i >= len(want) {
			t.Fatalf("more than %d references", len(want))
		}
		if ref != want[i].ref || tag != want[i].tag {
			t.Fatalf("entry %d = %v, %d; want %v, %d", i, ref, tag, want[i].ref, want[i].tag)
		}
		i++
	}
	if i != len(want) {
		t.Fatalf("%d references, want %d", i, len(want))
	}
	// Stopping early stops.
	n := 0
	for range l.All() {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("break after 3 yielded %d", n)
	}
}

// TestRefListSize checks that a walk's references take a few bytes each.
func TestRefListSize(t *testing.T) {
	var l RefList
	for inst := range int32(100) {
		for node := range int32(1000) {
			l.Append(Ref{inst, node}, uint32(node%300))
		}
	}
	if per := float64(len(l.b)) / float64(l.Len()); per > 3.5 {
		t.Errorf("%.1f bytes a reference, want at most 3.5", per)
	}
}
