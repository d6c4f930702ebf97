// Package nginx is what nginxlint knows of nginx itself: its directives
// (where each is allowed, whether it takes a block, how it is inherited,
// what it dials), and the grammar of its values (versions, addresses,
// times). Every rule, the loader and the manifest read these facts from
// here; none is written twice.
//
// It imports no other package of nginxlint.
package nginx
