package syntax

import (
	"encoding/binary"
	"iter"
)

// RefList is a list of references, read back in the order they were
// added, each with a small number (its tag) beside it. It is for indexes
// of every directive of a tree: a walk adds references close to the one
// before, which the list keeps in two or three bytes where a []Ref and
// a []uint32 take twelve. Its zero value is an empty list.
type RefList struct {
	b    []byte
	n    int
	last Ref // the last reference added
}

// Grow makes room for about n more references.
func (l *RefList) Grow(n int) {
	if free := cap(l.b) - len(l.b); free < 3*n {
		b := make([]byte, len(l.b), len(l.b)+3*n)
		copy(b, l.b)
		l.b = b
	}
}

// Append adds r with its tag.
//
// Each entry is a varint: the change of node number, zigzag-encoded,
// shifted left by one, with the low bit set when the instance changed;
// then the new instance number when it did; then the tag.
func (l *RefList) Append(r Ref, tag uint32) {
	delta := int64(r.node) - int64(l.last.node)
	head := uint64(delta<<1^delta>>63) << 1
	if r.inst != l.last.inst {
		head |= 1
	}
	l.b = binary.AppendUvarint(l.b, head)
	if head&1 != 0 {
		l.b = binary.AppendUvarint(l.b, uint64(uint32(r.inst)))
	}
	l.b = binary.AppendUvarint(l.b, uint64(tag))
	l.last = r
	l.n++
}

// Len returns the number of references in the list.
func (l *RefList) Len() int { return l.n }

// All yields the references with their tags, in the order they were
// added.
func (l *RefList) All() iter.Seq2[Ref, uint32] {
	return func(yield func(Ref, uint32) bool) {
		var r Ref
		b := l.b
		for len(b) > 0 {
			head, n := uvarint(b)
			b = b[n:]
			z := head >> 1
			r.node += int32(int64(z>>1) ^ -int64(z&1))
			if head&1 != 0 {
				inst, n := uvarint(b)
				b = b[n:]
				r.inst = int32(uint32(inst))
			}
			tag, n := uvarint(b)
			b = b[n:]
			if !yield(r, uint32(tag)) {
				return
			}
		}
	}
}

// uvarint is binary.Uvarint for the list's own bytes, which are always
// well formed, with the one-byte case first.
func uvarint(b []byte) (uint64, int) {
	if b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return binary.Uvarint(b)
}
