module github.com/nginxlint/nginxlint

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/tufanbarisyildirim/gonginx v0.0.0-20260220081509-8e17ce617db3
	golang.org/x/tools v0.52.0
)

require (
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/sergi/go-diff v1.4.0
	gopkg.in/yaml.v3 v3.0.1
)

require golang.org/x/text v0.14.0 // indirect
