// Package compose reads Docker Compose files for nginxlint: the services,
// the ports they publish and expose, their networks and network modes,
// their commands and environment, with where each value is written.
package compose

import "github.com/nginxlint/nginxlint/lint/apps"

// Project is one compose file (with what it extends and includes) as
// Compose itself would load it.
type Project struct {
	// Path is the compose file's path.
	Path     string
	Services []*Service
}

// Service is one service of a project.
type Service struct {
	Name string
	// Span is where the service's key is written.
	Span apps.Span
}
