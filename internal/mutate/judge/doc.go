// Package judge runs the real nginx on the mutants of internal/mutate and
// measures how many of those nginx refuses nginxlint reports, and where:
// the judging half of the mutation harness. internal/mutate makes the
// invalid configurations; this package makes them runnable, lets
// `nginx -t` say which are wrong, and counts the linter's answers.
//
// Prepare makes a configuration runnable by the real nginx without
// touching the machine: it copies the files of the tree, stubs what the
// tree names but does not ship (certificates, the stock files of nginx's
// packages, included files) and finds the Env nginx accepts it with (a
// Base). Nginx.Sandbox writes a rewritten copy in a scratch directory and
// Nginx.Test runs `nginx -t` on it, in a network namespace of its own
// when the system allows one. Measure makes the mutants of a Plan with
// mutate.Mutate, keeps those nginx refuses, runs a Linter on them, and
// Table counts the results per kind.
package judge
