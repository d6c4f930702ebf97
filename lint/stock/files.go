package stock

// The files of each set, by path relative to /etc/nginx, and the sources
// they were checked against. The bodies are built from the parts below so
// that what the sets share is written once and what differs is visible.
//
// nginx's own conf/ directory (mime.types, fastcgi_params, fastcgi.conf,
// scgi_params, uwsgi_params, koi-utf, koi-win, win-utf) has had the same
// parameters since nginx 1.9.2 (REQUEST_SCHEME, 2015) and the same MIME
// types since 1.21.4 (image/avif, 2021), which covers every release the
// packages below build.

// alpineFiles are what Alpine Linux's nginx package (aports
// main/nginx/APKBUILD, nginx 1.28.3) installs: package() runs nginx's
// "make install", which copies conf/ to /etc/nginx, then removes the
// charset maps (koi-*, win-utf) and the *.default copies. Alpine changes
// none of the files it keeps and ships no proxy_params and no snippets.
// Its default server is /usr/share/nginx/http-default_server.conf, copied
// to http.d/default.conf by nginx.post-install: a site, not a file to
// include.
var alpineFiles = map[string]string{
	"fastcgi.conf":   fastcgiScriptFilename + fastcgiRequest + fastcgiRemote + fastcgiServer,
	"fastcgi_params": fastcgiRequest + fastcgiRemote + fastcgiServer,
	"mime.types":     mimeTypes,
	"scgi_params":    scgiParams,
	"uwsgi_params":   uwsgiParams,
}

// debianFiles are what Debian's nginx-common installs in /etc/nginx
// (checked against 1.22.1-9+deb12u7, Debian 12, as installed: dpkg -L
// nginx-common and the files themselves; the packaging is
// salsa.debian.org/nginx-team/nginx, debian/conf/). Ubuntu's nginx-common
// comes from the same packaging.
//
// Debian adds REMOTE_USER to fastcgi.conf and fastcgi_params, and adds
// proxy_params and the two snippets. Since 1.22.1-9+deb12u6 (April 2026)
// its *_params files also pass HTTP_HOST as $host, and proxy_params sets
// Host to $host; earlier releases (and Ubuntu's, where it has not taken
// the change) set Host to $http_host and pass no HTTP_HOST: the same
// directives otherwise. fastcgi.conf did not get HTTP_HOST.
// sites-available/default is the default site, not a file to include.
var debianFiles = map[string]string{
	"fastcgi.conf":              fastcgiScriptFilename + fastcgiRequest + fastcgiRemote + debianRemoteUser + fastcgiServer,
	"fastcgi_params":            fastcgiRequest + fastcgiRemote + debianRemoteUser + fastcgiServer + "\nfastcgi_param  HTTP_HOST        $host;\n",
	"koi-utf":                   koiUTF,
	"koi-win":                   koiWin,
	"mime.types":                mimeTypes,
	"proxy_params":              debianProxyParams,
	"scgi_params":               scgiParams + "\nscgi_param  HTTP_HOST        $host;\n",
	"snippets/fastcgi-php.conf": debianFastcgiPHP,
	"snippets/snakeoil.conf":    debianSnakeoil,
	"uwsgi_params":              uwsgiParams + "\nuwsgi_param  HTTP_HOST        $host;\n",
	"win-utf":                   winUTF,
}

// nginxOrgFiles are what the packages of nginx.org's repositories install
// (github.com/nginx/pkg-oss: debian/debian/nginx.install lists nginx.conf,
// mime.types, scgi_params, fastcgi_params and uwsgi_params;
// rpm/SPECS/nginx.spec.in removes fastcgi.conf, koi-utf, koi-win and
// win-utf after "make install"). conf.d/default.conf is the default site,
// not a file to include. There is no proxy_params and no fastcgi.conf.
//
// nginx.org's Alpine packages (pkg-oss alpine/, which the nginx:alpine
// Docker image installs) keep fastcgi.conf: only the charset maps are
// removed there. The set follows the Debian and RPM packages, which are
// what the nginx image and most hosts run; the alpine set has fastcgi.conf
// with the same content.
var nginxOrgFiles = map[string]string{
	"fastcgi_params": fastcgiRequest + fastcgiRemote + fastcgiServer,
	"mime.types":     mimeTypes,
	"scgi_params":    scgiParams,
	"uwsgi_params":   uwsgiParams,
}

// The parts of nginx's conf/fastcgi_params, in its order. fastcgi.conf is
// the same list with SCRIPT_FILENAME first.
const (
	fastcgiScriptFilename = "\nfastcgi_param  SCRIPT_FILENAME    $document_root$fastcgi_script_name;\n"

	fastcgiRequest = `
fastcgi_param  QUERY_STRING       $query_string;
fastcgi_param  REQUEST_METHOD     $request_method;
fastcgi_param  CONTENT_TYPE       $content_type;
fastcgi_param  CONTENT_LENGTH     $content_length;

fastcgi_param  SCRIPT_NAME        $fastcgi_script_name;
fastcgi_param  REQUEST_URI        $request_uri;
fastcgi_param  DOCUMENT_URI       $document_uri;
fastcgi_param  DOCUMENT_ROOT      $document_root;
fastcgi_param  SERVER_PROTOCOL    $server_protocol;
fastcgi_param  REQUEST_SCHEME     $scheme;
fastcgi_param  HTTPS              $https if_not_empty;

fastcgi_param  GATEWAY_INTERFACE  CGI/1.1;
fastcgi_param  SERVER_SOFTWARE    nginx/$nginx_version;
`

	fastcgiRemote = `
fastcgi_param  REMOTE_ADDR        $remote_addr;
fastcgi_param  REMOTE_PORT        $remote_port;
`

	// debianRemoteUser is the parameter Debian adds after REMOTE_PORT.
	debianRemoteUser = "fastcgi_param  REMOTE_USER        $remote_user;\n"

	fastcgiServer = `fastcgi_param  SERVER_ADDR        $server_addr;
fastcgi_param  SERVER_PORT        $server_port;
fastcgi_param  SERVER_NAME        $server_name;

fastcgi_param  REDIRECT_STATUS    200;
`
)

// scgiParams is nginx's conf/scgi_params.
const scgiParams = `
scgi_param  REQUEST_METHOD     $request_method;
scgi_param  REQUEST_URI        $request_uri;
scgi_param  QUERY_STRING       $query_string;
scgi_param  CONTENT_TYPE       $content_type;

scgi_param  DOCUMENT_URI       $document_uri;
scgi_param  DOCUMENT_ROOT      $document_root;
scgi_param  SCGI               1;
scgi_param  SERVER_PROTOCOL    $server_protocol;
scgi_param  REQUEST_SCHEME     $scheme;
scgi_param  HTTPS              $https if_not_empty;

scgi_param  REMOTE_ADDR        $remote_addr;
scgi_param  REMOTE_PORT        $remote_port;
scgi_param  SERVER_PORT        $server_port;
scgi_param  SERVER_NAME        $server_name;
`

// uwsgiParams is nginx's conf/uwsgi_params.
const uwsgiParams = `
uwsgi_param  QUERY_STRING       $query_string;
uwsgi_param  REQUEST_METHOD     $request_method;
uwsgi_param  CONTENT_TYPE       $content_type;
uwsgi_param  CONTENT_LENGTH     $content_length;

uwsgi_param  REQUEST_URI        $request_uri;
uwsgi_param  PATH_INFO          $document_uri;
uwsgi_param  DOCUMENT_ROOT      $document_root;
uwsgi_param  SERVER_PROTOCOL    $server_protocol;
uwsgi_param  REQUEST_SCHEME     $scheme;
uwsgi_param  HTTPS              $https if_not_empty;

uwsgi_param  REMOTE_ADDR        $remote_addr;
uwsgi_param  REMOTE_PORT        $remote_port;
uwsgi_param  SERVER_PORT        $server_port;
uwsgi_param  SERVER_NAME        $server_name;
`

// debianProxyParams is Debian's proxy_params (1.22.1-9+deb12u6 and
// later; see debianFiles).
const debianProxyParams = `
proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
`

// debianFastcgiPHP is Debian's snippets/fastcgi-php.conf, which its
// default site includes in a "location ~ \.php$" before fastcgi_pass. Its
// include is relative to /etc/nginx: Debian's fastcgi.conf.
const debianFastcgiPHP = `
fastcgi_split_path_info ^(.+?\.php)(/.*)$;

try_files $fastcgi_script_name =404;

set $path_info $fastcgi_path_info;
fastcgi_param PATH_INFO $path_info;

fastcgi_index index.php;
include fastcgi.conf;
`

// debianSnakeoil is Debian's snippets/snakeoil.conf, for a server: the
// self-signed certificate that Debian's ssl-cert package generates.
const debianSnakeoil = `
ssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;
ssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;
`

// The charset maps of nginx's conf/, for the http context; only Debian
// keeps them. Their content is never linted, so a few entries of each
// stand for the whole table (nginx's maps have about a hundred).
const (
	koiUTF = `
charset_map koi8-r utf-8 {
    80 E282AC;
    A3 D191;
    B3 D081;
    C1 D0B0;
    E1 D090;
}
`

	koiWin = `
charset_map koi8-r windows-1251 {
    80 88;
    A3 B8;
    B3 A8;
    C1 E0;
    E1 C0;
}
`

	winUTF = `
charset_map windows-1251 utf-8 {
    88 E282AC;
    A8 D081;
    B8 D191;
    C0 D090;
    E0 D0B0;
}
`
)

// mimeTypes is nginx's conf/mime.types (the same mappings in every set:
// Debian's file differs from nginx's only in its line breaks), for the
// http, server or location context.
const mimeTypes = `
types {
    text/html html htm shtml;
    text/css css;
    text/xml xml;
    image/gif gif;
    image/jpeg jpeg jpg;
    application/javascript js;
    application/atom+xml atom;
    application/rss+xml rss;

    text/mathml mml;
    text/plain txt;
    text/vnd.sun.j2me.app-descriptor jad;
    text/vnd.wap.wml wml;
    text/x-component htc;

    image/avif avif;
    image/png png;
    image/svg+xml svg svgz;
    image/tiff tif tiff;
    image/vnd.wap.wbmp wbmp;
    image/webp webp;
    image/x-icon ico;
    image/x-jng jng;
    image/x-ms-bmp bmp;

    font/woff woff;
    font/woff2 woff2;

    application/java-archive jar war ear;
    application/json json;
    application/mac-binhex40 hqx;
    application/msword doc;
    application/pdf pdf;
    application/postscript ps eps ai;
    application/rtf rtf;
    application/vnd.apple.mpegurl m3u8;
    application/vnd.google-earth.kml+xml kml;
    application/vnd.google-earth.kmz kmz;
    application/vnd.ms-excel xls;
    application/vnd.ms-fontobject eot;
    application/vnd.ms-powerpoint ppt;
    application/vnd.oasis.opendocument.graphics odg;
    application/vnd.oasis.opendocument.presentation odp;
    application/vnd.oasis.opendocument.spreadsheet ods;
    application/vnd.oasis.opendocument.text odt;
    application/vnd.openxmlformats-officedocument.presentationml.presentation pptx;
    application/vnd.openxmlformats-officedocument.spreadsheetml.sheet xlsx;
    application/vnd.openxmlformats-officedocument.wordprocessingml.document docx;
    application/vnd.wap.wmlc wmlc;
    application/wasm wasm;
    application/x-7z-compressed 7z;
    application/x-cocoa cco;
    application/x-java-archive-diff jardiff;
    application/x-java-jnlp-file jnlp;
    application/x-makeself run;
    application/x-perl pl pm;
    application/x-pilot prc pdb;
    application/x-rar-compressed rar;
    application/x-redhat-package-manager rpm;
    application/x-sea sea;
    application/x-shockwave-flash swf;
    application/x-stuffit sit;
    application/x-tcl tcl tk;
    application/x-x509-ca-cert der pem crt;
    application/x-xpinstall xpi;
    application/xhtml+xml xhtml;
    application/xspf+xml xspf;
    application/zip zip;

    application/octet-stream bin exe dll;
    application/octet-stream deb;
    application/octet-stream dmg;
    application/octet-stream iso img;
    application/octet-stream msi msp msm;

    audio/midi mid midi kar;
    audio/mpeg mp3;
    audio/ogg ogg;
    audio/x-m4a m4a;
    audio/x-realaudio ra;

    video/3gpp 3gpp 3gp;
    video/mp2t ts;
    video/mp4 mp4;
    video/mpeg mpeg mpg;
    video/quicktime mov;
    video/webm webm;
    video/x-flv flv;
    video/x-m4v m4v;
    video/x-mng mng;
    video/x-ms-asf asx asf;
    video/x-ms-wmv wmv;
    video/x-msvideo avi;
}
`
