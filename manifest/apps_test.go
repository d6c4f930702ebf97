package manifest

import (
	"reflect"
	"testing"
)

// TestParseAppKeys checks the keys that link the manifest to the apps'
// own configurations and describe nginx's worker user: each value with
// its position, read by the plain reader as by the TOML library.
func TestParseAppKeys(t *testing.T) {
	for _, src := range []string{
		"[nginx]\nuser = \"www-data\"\ngroups = [\"www-data\", \"php\"]\ncompose = \"compose.yaml#nginx\"\nprivate_dirs = [\"/home/deploy\", \"/var/run/private/\"]\n\n[backends.api]\nlisten = \"127.0.0.1:8001\"\napp = \"deploy/gunicorn.conf.py\"\n\n[backends.php]\nlisten = \"unix:/run/php/www.sock\"\napp = \"../php/pool.d/www.conf#www\"\n",
		// The same in forms only the TOML library reads.
		"nginx = { user = \"www-data\", groups = [\"www-data\", \"php\"], compose = \"compose.yaml#nginx\", private_dirs = [\"/home/deploy\", \"/var/run/private/\"] }\n\n[backends.api]\nlisten = \"127.0.0.1:8001\"\napp = \"deploy/gunicorn.conf.py\"\n\n[backends.php]\nlisten = \"unix:/run/php/www.sock\"\napp = \"../php/pool.d/www.conf#www\"\n",
	} {
		m := mustParse(t, src)
		pos := func(needle string) Position { return find(t, "m.toml", src, needle, 0) }
		if m.User != "www-data" || m.UserPos != pos(`"www-data"`) {
			t.Errorf("user = %q at %v", m.User, m.UserPos)
		}
		if !m.GroupsSet || !reflect.DeepEqual(m.Groups, []string{"www-data", "php"}) || m.GroupsPos != pos(`["www-data", "php"]`) {
			t.Errorf("groups = %q (set %v) at %v", m.Groups, m.GroupsSet, m.GroupsPos)
		}
		if m.Compose != "compose.yaml#nginx" || m.ComposePos != pos(`"compose.yaml#nginx"`) {
			t.Errorf("compose = %q at %v", m.Compose, m.ComposePos)
		}
		want := []Dir{{"/home/deploy", pos(`"/home/deploy"`)}, {"/run/private", pos(`"/var/run/private/"`)}}
		if !reflect.DeepEqual(m.PrivateDirs, want) {
			t.Errorf("private_dirs = %+v, want %+v", m.PrivateDirs, want)
		}
		if b := m.Backend("api"); b.App != "deploy/gunicorn.conf.py" || b.AppPos != pos(`"deploy/gunicorn.conf.py"`) {
			t.Errorf("api app = %q at %v", b.App, b.AppPos)
		}
		b := m.Backend("php")
		if b.App != "../php/pool.d/www.conf#www" || b.AppPos != pos(`"../php/pool.d/www.conf#www"`) {
			t.Errorf("php app = %q at %v", b.App, b.AppPos)
		}
		if f, n := SplitLink(b.App); f != "../php/pool.d/www.conf" || n != "www" {
			t.Errorf("SplitLink(%q) = %q, %q", b.App, f, n)
		}
		samePlain(t, src)
	}
	// An empty groups list states that the user is in no group.
	m := mustParse(t, "[nginx]\ngroups = []\n")
	if !m.GroupsSet || m.Groups == nil || len(m.Groups) != 0 {
		t.Errorf("groups = [] read as %q (set %v)", m.Groups, m.GroupsSet)
	}
	if m := mustParse(t, "[nginx]\nuser = \"nginx\"\n"); m.GroupsSet {
		t.Error("groups not given read as set")
	}
}

// TestParseAppKeyErrors checks that a value of the wrong type or form is
// an error at the value (at the entry, in a list), by both readers.
func TestParseAppKeyErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"[nginx]\nuser = [\"www-data\"]\n", `m.toml:2:8: user must be a string, not an array, e.g. user = "www-data"`},
		{"[nginx]\nuser = 33\n", `m.toml:2:8: user must be a string, not an integer, e.g. user = "www-data"`},
		{"[nginx]\nuser = \"\"\n", `m.toml:2:8: user must not be empty: name the user, e.g. "www-data"`},
		{"[nginx]\nuser = \"www-data:www-data\"\n", `m.toml:2:8: user "www-data:www-data" cannot be a user name; write the name alone, e.g. "www-data"`},
		{"[nginx]\ngroups = \"www-data\"\n", `m.toml:2:10: groups must be a list of strings, not a string, e.g. groups = ["www-data"]`},
		{"[nginx]\ngroups = [\"www-data\", 33]\n", `m.toml:2:23: groups must be a list of strings; this entry is an integer`},
		{"[nginx]\ngroups = [\"adm\", \"adm\"]\n", `m.toml:2:18: group "adm" is listed twice; remove one`},
		{"[nginx]\ngroups = [\"a b\"]\n", `m.toml:2:11: group "a b" cannot be a group name; write the name alone, e.g. "www-data"`},
		{"[nginx]\ncompose = \"compose.yaml\"\n", `m.toml:2:11: compose "compose.yaml" does not name the service; write FILE#SERVICE, e.g. compose = "compose.yaml#nginx"`},
		{"[nginx]\ncompose = [\"compose.yaml#nginx\"]\n", `m.toml:2:11: compose must be a string, not an array, e.g. compose = "compose.yaml#nginx"`},
		{"[nginx]\nprivate_dirs = [\"home/deploy\"]\n", `m.toml:2:17: private_dirs entry "home/deploy" is relative; write the absolute directory on the host, e.g. "/home/deploy"`},
		{"[nginx]\nprivate_dirs = \"/home\"\n", `m.toml:2:16: private_dirs must be a list of strings, not a string, e.g. private_dirs = ["/home/deploy"]`},
		{"[nginx]\nprivate_dirs = [\"/\"]\n", `m.toml:2:17: private_dirs entry "/" would make every socket unreachable; name the directories nginx's user cannot enter`},
		{"[backends.api]\nlisten = \"127.0.0.1:1\"\napp = 1\n", `m.toml:3:7: app must be a string, not an integer, e.g. app = "deploy/gunicorn.conf.py"`},
		{"[backends.api]\nlisten = \"127.0.0.1:1\"\napp = [\"a.py\"]\n", `m.toml:3:7: app must be a string, not an array, e.g. app = "deploy/gunicorn.conf.py"`},
		{"[backends.api]\nlisten = \"127.0.0.1:1\"\napp = \"\"\n", `m.toml:3:7: app must not be empty: name the file, e.g. app = "deploy/gunicorn.conf.py" or "compose.yaml#api", or remove the key`},
		{"[backends.api]\nlisten = \"127.0.0.1:1\"\napp = \"/etc/php/8.2/fpm/pool.d/www.conf\"\n", `m.toml:3:7: app "/etc/php/8.2/fpm/pool.d/www.conf" is an absolute path: nginxlint reads the repository, never the host; write the path relative to the manifest's directory`},
		{"[backends.api]\nlisten = \"127.0.0.1:1\"\napp = \"#www\"\n", `m.toml:3:7: app "#www" names no file before '#'; write FILE#NAME, e.g. app = "deploy/gunicorn.conf.py" or "compose.yaml#api"`},
		{"[backends.api]\nlisten = \"127.0.0.1:1\"\napp = \"www.conf#\"\n", `m.toml:3:7: app "www.conf#" has an empty name after '#'; name the app, or remove the '#'`},
		{"[backends.api]\nlisten = \"127.0.0.1:1\"\napp = \"www.conf#a#b\"\n", `m.toml:3:7: app "www.conf#a#b" has more than one '#'; write FILE#NAME`},
		{"[nginx]\nusers = \"www-data\"\n", `m.toml:2:1: unknown key "users" in [nginx]; known keys: version, user, groups, compose, private_dirs`},
	} {
		_, err := Parse("m.toml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q):\n%v\nwant\n%s", tt.src, err, tt.want)
		}
		samePlain(t, tt.src)
	}
}
