package nginx

import (
	"math"
	"strconv"
	"time"
)

// UpstreamKeepaliveTimeout is the keepalive_timeout of an upstream block
// that sets none (ngx_http_upstream_keepalive_module): how long an idle
// connection to a backend is kept.
const UpstreamKeepaliveTimeout = time.Minute

// FormatTime writes a duration the way nginx configurations do: "2m",
// "90s", "500ms" (whole milliseconds).
func FormatTime(d time.Duration) string {
	switch {
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
}

// ParseTime reads an nginx time value ("60s", "1m 30s", "500ms", a bare
// "75" meaning seconds) as nginx reads timeouts: ngx_parse_time for
// millisecond values. Units are w, d, h, m, s and ms, each at most once
// and from the largest to the smallest, optionally separated by spaces; a
// number without a unit at the end counts seconds. It reports false for
// anything else, and for values that overflow.
func ParseTime(s string) (time.Duration, bool) { return parseTime(s, false) }

// ParseSeconds reads an nginx time value in seconds, as nginx reads
// expires and other second values (ngx_parse_time for seconds): like
// ParseTime, with years (y, 365 days) and months (M, 30 days) too, and
// without milliseconds.
func ParseSeconds(s string) (time.Duration, bool) { return parseTime(s, true) }

func parseTime(s string, sec bool) (time.Duration, bool) {
	const (
		stStart = iota
		stYear
		stMonth
		stWeek
		stDay
		stHour
		stMin
		stSec
		stMsec
		stLast
	)
	const limit = math.MaxInt64 / int64(time.Millisecond)
	step := stStart
	var total, value int64
	valid := false
	for i := 0; i < len(s); {
		c := s[i]
		if c >= '0' && c <= '9' {
			d := int64(c - '0')
			if value > (limit-d)/10 {
				return 0, false
			}
			value = value*10 + d
			valid = true
			i++
			continue
		}
		i++
		var scale int64
		var next int
		switch c {
		case 'y':
			if !sec {
				return 0, false
			}
			next, scale = stYear, 365*24*3600*1000
		case 'M':
			if !sec {
				return 0, false
			}
			next, scale = stMonth, 30*24*3600*1000
		case 'w':
			next, scale = stWeek, 7*24*3600*1000
		case 'd':
			next, scale = stDay, 24*3600*1000
		case 'h':
			next, scale = stHour, 3600*1000
		case 'm':
			if i < len(s) && s[i] == 's' {
				if sec {
					return 0, false
				}
				i++
				next, scale = stMsec, 1
			} else {
				next, scale = stMin, 60*1000
			}
		case 's':
			next, scale = stSec, 1000
		case ' ':
			if step >= stSec {
				return 0, false
			}
			next, scale = stLast, 1000
		default:
			return 0, false
		}
		if c != ' ' && step >= next {
			return 0, false
		}
		step = next
		if value > limit/scale {
			return 0, false
		}
		value *= scale
		if total > limit-value {
			return 0, false
		}
		total += value
		value = 0
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if !valid || value > limit/1000 {
		return 0, false
	}
	value *= 1000
	if total > limit-value {
		return 0, false
	}
	return time.Duration(total+value) * time.Millisecond, true
}
