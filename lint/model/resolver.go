package model

// Resolver returns the resolver directive nginx uses to resolve the
// host name of target t while it runs: for a pass directive, the
// resolver of its block after inheritance (location, server, http; in
// stream, server and stream); for a server line of an upstream block,
// the upstream's own resolver (nginx 1.27.3 and later), else the one of
// the http or stream level around it: a resolver of a server or
// location does not count for an upstream. The zero Setting when none
// applies: nginx then cannot resolve a name at run time ("no resolver
// defined to resolve ...").
func (ix *Index) Resolver(t *Target) Setting {
	if t.IsServer() {
		// The upstream block, then the level that holds it: the
		// upstream's parent is the http (or stream) block itself.
		return ix.Effective(t.In(), "resolver")
	}
	return ix.Effective(t.Directive.BlockParent(), "resolver")
}
