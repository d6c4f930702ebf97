//go:build js && wasm

// Command nginxlint-wasm is nginxlint compiled to WebAssembly for the
// playground page (playground/, built by scripts/playground.sh): it runs
// in the browser, reads nothing but what the page gives it and sends
// nothing anywhere.
//
// It sets a global object nginxlint whose functions take and return JSON
// text (see internal/playground):
//
//	nginxlint.lint(input)   // playground.Input -> playground.Result
//	nginxlint.fix(request)  // playground.FixRequest -> playground.FixResponse
//	nginxlint.rules()       // -> [playground.RuleInfo]
//	nginxlint.example()     // -> the page's default playground.Input
//
// then calls the global function nginxlintReady, when there is one, and
// waits for calls.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/nginxlint/nginxlint/internal/playground"
	"github.com/nginxlint/nginxlint/rules"
)

func main() {
	all := rules.All()
	api := js.Global().Get("Object").New()
	api.Set("lint", jsonFunc(func(req []byte) []byte { return playground.LintJSON(all, req) }))
	api.Set("fix", jsonFunc(func(req []byte) []byte { return playground.FixJSON(all, req) }))
	api.Set("rules", jsonFunc(func([]byte) []byte { return playground.RulesJSON(all) }))
	api.Set("example", jsonFunc(func([]byte) []byte {
		b, _ := json.Marshal(playground.Example())
		return b
	}))
	js.Global().Set("nginxlint", api)
	if ready := js.Global().Get("nginxlintReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// jsonFunc makes fn a JavaScript function of one string argument (empty
// when not given) that returns a string.
func jsonFunc(fn func([]byte) []byte) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		var req []byte
		if len(args) > 0 && args[0].Type() == js.TypeString {
			req = []byte(args[0].String())
		}
		return string(fn(req))
	})
}
