// Package rules holds nginxlint's rules, one per file. Each rule is a
// lint.Rule value with its documentation and examples; All lists them.
package rules

import "github.com/nginxlint/nginxlint/lint"

// All returns every rule, in the order "nginxlint rules" lists them.
func All() []*lint.Rule {
	return []*lint.Rule{
		Syntax,
		Include,
		IncludeOutsideTree,
		IncludeStock,
		NotLoaded,
		DirectiveUnknown,
		DirectiveContext,
		DirectiveArgs,
		DirectiveValue,
		DirectiveDuplicate,
		DirectiveVersion,
		DirectiveDeprecated,
		MissingSemicolon,
		AddressInvalid,
		LocationDuplicate,
		LocationNesting,
		UpstreamDuplicate,
		DefaultServerDuplicate,
		ServerNameConflict,
		SSLCertificate,
		ProxyPassURI,
		VariableUnknown,
		VariableDuplicate,
		ProxyPassScheme,
		IfDirective,
		UpstreamUndefined,
		UpstreamAllDown,
		UpstreamPrimariesDown,
		UpstreamKeepalive,
		ArrayInheritDropped,
		UpstreamKeepaliveTimeout,
		BackendDrift,
		BackendUpstream,
		BackendProtocol,
		BackendLocalhost,
		BackendReadTimeout,
		BackendUnknownHost,
		BackendResolveOnce,
		AppDrift,
		AppUnreadable,
		SocketPermission,
		SocketPermissionGroup,
		ContainerLoopback,
		ContainerPort,
		NginxlintIgnore,
	}
}
