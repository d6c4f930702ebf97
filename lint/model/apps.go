package model

import "github.com/nginxlint/nginxlint/lint/apps/read"

// Apps gives the index the app configurations read for the run.
func Apps(s *read.Set) Option {
	return func(ix *Index) { ix.apps = s }
}

// Apps returns the app configurations read for the run: the apps the
// manifest's backends link to and the compose projects; nil when none
// were read (read.Set's methods accept nil).
func (ix *Index) Apps() *read.Set { return ix.apps }
