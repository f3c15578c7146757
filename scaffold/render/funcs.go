package render

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
	"github.com/pmfolio/pmfolio/scaffold/internal/recache"
)

// removed lists the sprig functions a template never gets, because templates
// come from packs and packs are untrusted: they reach the environment (CI
// secrets), the network, or burn CPU generating keys and certificates.
var removed = []string{
	"env", "expandenv",
	"getHostByName",
	"genPrivateKey", "derivePassword", "buildCustomCert",
	"genCA", "genCAWithKey",
	"genSelfSignedCert", "genSelfSignedCertWithKey",
	"genSignedCert", "genSignedCertWithKey",
	"encryptAES", "decryptAES",
	"bcrypt", "htpasswd",
	"randBytes",
	// These read the zone database from the file system and only make sense
	// with a wall clock; date formats the injected clock's time as it is.
	"dateInZone", "date_in_zone", "htmlDateInZone",
}

// Removed reports the names of the sprig functions that templates cannot use.
func Removed() []string { return append([]string(nil), removed...) }

// ErrLimit is wrapped by every error caused by a template exceeding a limit.
var ErrLimit = errors.New("template limit exceeded")

// funcMap builds the sandboxed function map for one execution, before the
// guards: bind wraps each function a render calls so that a result over
// the limits, or a call after the render was stopped, aborts the template
// instead of allocating without bound.
func (e *Engine) funcMap(stop *stopFlag) template.FuncMap {
	fm := sprig.TxtFuncMap()
	for _, name := range removed {
		delete(fm, name)
	}
	lim := e.limits
	now := e.now

	// The clock is injected: nothing sees the wall clock.
	fm["now"] = func() time.Time { return now }
	fm["date"] = func(layout string, d any) (string, error) {
		t, err := toTime(d)
		if err != nil {
			return "", err
		}
		return t.Format(layout), nil
	}
	fm["htmlDate"] = func(d any) (string, error) {
		t, err := toTime(d)
		if err != nil {
			return "", err
		}
		return t.Format("2006-01-02"), nil
	}
	fm["ago"] = func(d any) (string, error) {
		t, err := toTime(d)
		if err != nil {
			return "", err
		}
		return now.Sub(t).Round(time.Second).String(), nil
	}
	fm["durationRound"] = func(d any) string {
		switch v := d.(type) {
		case time.Time:
			return sprigDurationRound(now.Sub(v))
		default:
			return sprigDurationRound(d)
		}
	}
	// doctitle is the title of another document of the portfolio, "" when
	// the caller gave none: links show titles, not file names.
	titles := e.titles
	fm["doctitle"] = func(path any) string {
		p, _ := path.(string)
		return titles[strings.TrimPrefix(strings.TrimSpace(p), "./")]
	}
	fm["toDate"] = func(layout, s string) time.Time {
		t, _ := time.ParseInLocation(layout, s, time.UTC)
		return t
	}
	fm["mustToDate"] = func(layout, s string) (time.Time, error) {
		return time.ParseInLocation(layout, s, time.UTC)
	}

	// Amplifiers: checked before they allocate.
	fm["repeat"] = func(count int, s string) (string, error) {
		if count < 0 || (len(s) > 0 && count > lim.MaxOutput/len(s)) || count > lim.MaxItems {
			return "", fmt.Errorf("%w: repeat %d times", ErrLimit, count)
		}
		return strings.Repeat(s, count), nil
	}
	indent := func(n int, s string) (string, error) {
		lines := strings.Count(s, "\n") + 1
		if n < 0 || n > lim.MaxItems || n*lines+len(s) > lim.MaxOutput {
			return "", fmt.Errorf("%w: indent by %d", ErrLimit, n)
		}
		pad := strings.Repeat(" ", n)
		return pad + strings.ReplaceAll(s, "\n", "\n"+pad), nil
	}
	fm["indent"] = indent
	fm["nindent"] = func(n int, s string) (string, error) {
		r, err := indent(n, s)
		return "\n" + r, err
	}
	sizeCheck := func(name string, inLen, inserts, insertLen int) error {
		if inLen+inserts*insertLen > lim.MaxOutput {
			return fmt.Errorf("%w: %s would produce more than %d bytes", ErrLimit, name, lim.MaxOutput)
		}
		return nil
	}
	fm["replace"] = func(old, new, src string) (string, error) {
		n := len(src) + 1
		if old != "" {
			n = strings.Count(src, old)
		}
		if err := sizeCheck("replace", len(src), n, len(new)); err != nil {
			return "", err
		}
		return strings.ReplaceAll(src, old, new), nil
	}
	regexReplace := func(literal bool) func(re, s, repl string) (string, error) {
		return func(re, s, repl string) (string, error) {
			r, err := regexps.Compile(re)
			if err != nil {
				return "", err
			}
			n := len(r.FindAllStringIndex(s, -1))
			// An expanded replacement ($1$1$1...) can be longer than its
			// template; bound it by the whole input per match.
			grow := len(repl)
			if !literal {
				grow += len(s) * strings.Count(repl, "$")
			}
			if err := sizeCheck("regexReplaceAll", len(s), n, grow); err != nil {
				return "", err
			}
			if literal {
				return r.ReplaceAllLiteralString(s, repl), nil
			}
			return r.ReplaceAllString(s, repl), nil
		}
	}
	match := func(re, s string) (bool, error) {
		r, err := regexps.Compile(re)
		if err != nil {
			return false, err
		}
		return r.MatchString(s), nil
	}
	fm["regexMatch"] = func(re, s string) bool {
		ok, _ := match(re, s)
		return ok
	}
	fm["mustRegexMatch"] = match
	fm["regexReplaceAll"] = regexReplace(false)
	fm["mustRegexReplaceAll"] = regexReplace(false)
	fm["regexReplaceAllLiteral"] = regexReplace(true)
	fm["mustRegexReplaceAllLiteral"] = regexReplace(true)
	wrapWith := fm["wrapWith"].(func(int, string, string) string)
	fm["wrapWith"] = func(width int, sep, s string) (string, error) {
		if width < 1 {
			width = 1
		}
		if err := sizeCheck("wrapWith", len(s), len(s)/width+1, len(sep)); err != nil {
			return "", err
		}
		return wrapWith(width, sep, s), nil
	}
	for _, name := range []string{"until", "untilStep", "seq"} {
		fm[name] = cappedRange(name, fm[name], lim.MaxItems)
	}
	for _, name := range []string{"randAlphaNum", "randAlpha", "randAscii", "randNumeric"} {
		f := fm[name].(func(int) string)
		fm[name] = func(n int) (string, error) {
			if n < 0 || n > lim.MaxItems {
				return "", fmt.Errorf("%w: %d random characters", ErrLimit, n)
			}
			return f(n), nil
		}
	}
	// text/template's own printf honours widths like %999999999d; refuse
	// widths and precisions that could only be an attack.
	fm["printf"] = func(format string, args ...any) (string, error) {
		if err := checkVerbs(format, lim.MaxItems); err != nil {
			return "", err
		}
		return fmt.Sprintf(format, args...), nil
	}
	fm["print"] = fmt.Sprint
	fm["println"] = fmt.Sprintln
	// text/template's own escapers print their arguments too; as functions
	// of the map they are guarded like the rest.
	fm["html"] = template.HTMLEscaper
	fm["js"] = template.JSEscaper
	fm["urlquery"] = template.URLQueryEscaper
	for name, f := range guardFuncs(stop, lim) {
		fm[name] = f
	}
	guardCycles(fm)
	return fm
}

// cappedRange limits sprig's until, untilStep and seq to at most max items.
func cappedRange(name string, f any, max int) any {
	switch fn := f.(type) {
	case func(int) []int:
		return func(n int) ([]int, error) {
			if n > max || n < -max {
				return nil, fmt.Errorf("%w: %s %d is over %d items", ErrLimit, name, n, max)
			}
			return fn(n), nil
		}
	case func(int, int, int) []int:
		return func(start, stop, step int) ([]int, error) {
			if step != 0 && span(start, stop)/abs(step) > max {
				return nil, fmt.Errorf("%w: %s over %d items", ErrLimit, name, max)
			}
			return fn(start, stop, step), nil
		}
	case func(...int) string:
		return func(p ...int) (string, error) {
			lo, hi, step := 1, 0, 1
			switch len(p) {
			case 1:
				hi = p[0]
			case 2:
				lo, hi = p[0], p[1]
			case 3:
				lo, step, hi = p[0], p[1], p[2]
			}
			if step == 0 {
				step = 1
			}
			if span(lo, hi)/abs(step) > max {
				return "", fmt.Errorf("%w: %s over %d items", ErrLimit, name, max)
			}
			return fn(p...), nil
		}
	}
	return f
}

func span(a, b int) int {
	d := a - b
	if d < 0 {
		d = -d
	}
	if d < 0 { // overflow
		return int(^uint(0) >> 1)
	}
	return d
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// regexps are the patterns templates compiled, by source: the same few
// patterns (a pack's partials) run on every answer of every document.
var regexps = recache.New(256, 1024)

var verbWidth = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`%[-+# 0]*(\*|\d+)?(?:\.(\*|\d+))?`) })

func checkVerbs(format string, max int) error {
	for _, m := range verbWidth().FindAllStringSubmatch(format, -1) {
		for _, n := range m[1:] {
			if n == "*" {
				return fmt.Errorf("%w: printf with * width", ErrLimit)
			}
			if len(n) > 6 || (n != "" && atoi(n) > max) {
				return fmt.Errorf("%w: printf width %s", ErrLimit, n)
			}
		}
	}
	return nil
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func toTime(d any) (time.Time, error) {
	switch v := d.(type) {
	case time.Time:
		return v, nil
	case *time.Time:
		if v != nil {
			return *v, nil
		}
	case int:
		return time.Unix(int64(v), 0).UTC(), nil
	case int64:
		return time.Unix(v, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("date: %T is not a date (use .Date)", d)
}

func sprigDurationRound(d any) string {
	f := sprig.TxtFuncMap()["durationRound"].(func(any) string)
	return f(d)
}

var errType = reflect.TypeOf((*error)(nil)).Elem()

// guard wraps f so that every call first checks the stop flag (set when the
// render timed out), takes a step from the budget and measures its inputs,
// and every result is checked against the size limits.
// text/template turns a panic inside a function into an execution error, so
// a function without an error result can still abort the render.
func guard(name string, f any, stop *stopFlag, lim Limits) any {
	v := reflect.ValueOf(f)
	t := v.Type()
	if t.Kind() != reflect.Func {
		return f
	}
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		if stop.stopped() {
			panic(fmt.Errorf("%w: rendering stopped after %s", ErrLimit, lim.Timeout))
		}
		if err := stop.spend(1, lim.MaxSteps); err != nil {
			panic(err)
		}
		if err := checkInputs(name, args, stop, lim); err != nil {
			panic(err)
		}
		var out []reflect.Value
		if t.IsVariadic() {
			out = v.CallSlice(args)
		} else {
			out = v.Call(args)
		}
		if len(out) > 0 {
			if err := checkSize(name, out[0], lim); err != nil {
				if len(out) == 2 && t.Out(1) == errType {
					out[0] = reflect.Zero(t.Out(0))
					out[1] = reflect.ValueOf(&err).Elem()
					return out
				}
				panic(err)
			}
		}
		return out
	}).Interface()
}

func checkSize(name string, v reflect.Value, lim Limits) error {
	switch v.Kind() {
	case reflect.String:
		if v.Len() > lim.MaxOutput {
			return fmt.Errorf("%w: %s returned %d bytes", ErrLimit, name, v.Len())
		}
	case reflect.Slice, reflect.Map, reflect.Array:
		if v.Len() > lim.MaxItems {
			return fmt.Errorf("%w: %s returned %d items", ErrLimit, name, v.Len())
		}
	case reflect.Interface:
		if !v.IsNil() {
			return checkSize(name, v.Elem(), lim)
		}
	}
	return nil
}
