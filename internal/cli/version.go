package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// buildVersion is what nginxlint says of its own build.
type buildVersion struct {
	// Version is the release version: Env.Version (set at link time,
	// -ldflags "-X main.version=v0.1.0"), else the main module's version
	// in the build information ("go install ...@v0.1.0" records it),
	// else "(devel)".
	Version string
	// Go is the Go version and platform it was built with.
	Go string
	// Revision, Time and Modified are the VCS commit it was built from,
	// when the build recorded one (go build in a git checkout, without
	// -buildvcs=false).
	Revision, Time string
	Modified       bool
}

// readBuildVersion reads the build information of the running binary.
func readBuildVersion(linked string) buildVersion {
	v := buildVersion{Version: linked, Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if ok {
		if v.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	return v
}

// String is what --version prints:
//
//	nginxlint v0.1.0
//	go:       go1.26.8 linux/amd64
//	revision: 0123abcd... (2026-12-05T04:44:05Z)
func (v buildVersion) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "nginxlint %s\n", v.Version)
	fmt.Fprintf(&b, "go:       %s\n", v.Go)
	switch {
	case v.Revision == "":
		b.WriteString("revision: unknown (built without VCS information: outside a git checkout, or with -buildvcs=false)\n")
	default:
		var notes []string
		if v.Time != "" {
			notes = append(notes, v.Time)
		}
		if v.Modified {
			notes = append(notes, "with uncommitted changes")
		}
		fmt.Fprintf(&b, "revision: %s", v.Revision)
		if len(notes) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(notes, ", "))
		}
		b.WriteString("\n")
	}
	if v.Version == "(devel)" {
		b.WriteString("(devel): a build from source without a release version; release builds set one with -ldflags \"-X main.version=vX.Y.Z\" (scripts/release.sh)\n")
	}
	return b.String()
}

// versionCommand is "nginxlint version".
func versionCommand(args []string, env Env) int {
	if len(args) > 0 {
		logf(env.Stderr, "nginxlint version: takes no arguments\n")
		return ExitFailure
	}
	fmt.Fprint(env.Stdout, readBuildVersion(env.Version))
	return ExitClean
}
