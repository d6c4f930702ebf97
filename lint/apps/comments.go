package apps

import "github.com/nginxlint/nginxlint/lint/syntax"

// Comments returns the comments of src, a line-oriented format, in
// order: a line whose first non-blank byte is one of marks is a comment;
// with trailing, so is the rest of a line from a mark outside quotes
// (after a blank, when blank is set: dotenv's " #"; anywhere otherwise:
// PHP's ";"). Each comment runs from its mark to the end of its line,
// without a "\r". Readers set their file's Comments with it (or with
// their own tokenizer, for Python and Ruby), so that suppression
// comments in app configurations are read as in nginx files.
func Comments(src, marks string, trailing, blank bool) []syntax.Comment {
	var out []syntax.Comment
	isMark := func(c byte) bool {
		for i := 0; i < len(marks); i++ {
			if marks[i] == c {
				return true
			}
		}
		return false
	}
	for ls, le := range Lines(src) {
		end := le
		if end > ls && src[end-1] == '\r' {
			end--
		}
		i := ls
		for i < end && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		switch {
		case i < end && isMark(src[i]):
			out = append(out, syntax.Comment{Start: int32(i), End: int32(end)})
		case trailing:
			var quote byte
			for k := i; k < end; k++ {
				c := src[k]
				switch {
				case quote != 0:
					if c == quote {
						quote = 0
					} else if c == '\\' && quote == '"' {
						k++
					}
				case c == '"' || c == '\'':
					quote = c
				case isMark(c) && (!blank || src[k-1] == ' ' || src[k-1] == '\t'):
					out = append(out, syntax.Comment{Start: int32(k), End: int32(end)})
					k = end
				}
			}
		}
	}
	return out
}
