// Package read finds and reads the app configurations a run needs: the
// files the manifest's backends name (app = "FILE" or "FILE#NAME") and
// the Docker Compose files of the repository, each with the reader of
// its format (lint/apps' subpackages).
package read

import (
	"github.com/nginxlint/nginxlint/lint/apps"
	"github.com/nginxlint/nginxlint/lint/apps/compose"
	"github.com/nginxlint/nginxlint/manifest"
)

// Set is what a run read of the apps: the rules see it through
// lint/model's Index.Apps.
type Set struct {
	// Apps are every app read, in the order of their files.
	Apps []*apps.App
	// Linked maps a manifest backend's name to the app its app = names
	// (nil: the backend names none, or the app was not found, which is
	// in Problems).
	Linked map[string]*apps.App
	// Projects are the Docker Compose projects read.
	Projects []*compose.Project
	// Problems are what could not be read, each at its place.
	Problems []apps.Problem
}

// Backend returns the app the manifest backend b is linked to, nil when
// none.
func (s *Set) Backend(b *manifest.Backend) *apps.App {
	if s == nil || b == nil {
		return nil
	}
	return s.Linked[b.Name]
}
