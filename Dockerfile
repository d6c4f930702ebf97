# nginxlint in a small static image, for CI without a Go toolchain:
#
#   docker build -t nginxlint --build-arg VERSION=v0.1.0 .
#   docker run --rm -v "$PWD:/src:ro" nginxlint ./etc/nginx
#
# The tree is mounted at /src, the working directory, so paths and the
# file names in the findings are relative to it. Without arguments the
# image lints /src itself. It runs as an unprivileged user (65532): for
# --fix or --output into /src, mount it writable and pass
# --user "$(id -u):$(id -g)".

# GO_IMAGE is the toolchain the binary is built with (a test builds with
# a local one: cmd/nginxlint's TestDockerImage).
ARG GO_IMAGE=golang:1.26-bookworm

FROM ${GO_IMAGE} AS build
WORKDIR /build
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=${VERSION}" -o /out/nginxlint ./cmd/nginxlint

FROM scratch
COPY --from=build /out/nginxlint /usr/local/bin/nginxlint
COPY LICENSE /usr/share/doc/nginxlint/LICENSE
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/nginxlint"]
CMD ["."]
