package render

import (
	"errors"
	"fmt"
	"reflect"
	"unsafe"
)

// A dict that contains itself makes printing it (or copying it) recurse
// until the stack overflows, a fatal error no recover can catch. Only set
// and the merge functions change a dict in place, so they refuse to store
// a value that reaches the dict they change; no other function can make a
// cycle.
func guardCycles(fm map[string]any) {
	set := fm["set"].(func(map[string]any, string, any) map[string]any)
	fm["set"] = func(d map[string]any, key string, value any) (map[string]any, error) {
		if err := refuseCycle("set", d, value); err != nil {
			return nil, err
		}
		return set(d, key, value), nil
	}
	for _, name := range []string{"merge", "mergeOverwrite"} {
		merge := fm[name].(func(map[string]any, ...map[string]any) any)
		fm[name] = func(dst map[string]any, srcs ...map[string]any) (any, error) {
			for _, src := range srcs {
				if err := refuseCycle(name, dst, src); err != nil {
					return nil, err
				}
			}
			return merge(dst, srcs...), nil
		}
	}
	for _, name := range []string{"mustMerge", "mustMergeOverwrite"} {
		merge := fm[name].(func(map[string]any, ...map[string]any) (any, error))
		fm[name] = func(dst map[string]any, srcs ...map[string]any) (any, error) {
			for _, src := range srcs {
				if err := refuseCycle(name, dst, src); err != nil {
					return nil, err
				}
			}
			return merge(dst, srcs...)
		}
	}
}

// maxCycleWalk bounds the values refuseCycle looks at.
const maxCycleWalk = 100000

var errTooBig = errors.New("value too big to check")

func refuseCycle(name string, d map[string]any, value any) error {
	target := reflect.ValueOf(d).UnsafePointer()
	seen := map[unsafe.Pointer]bool{}
	n := 0
	var reaches func(v reflect.Value) (bool, error)
	reaches = func(v reflect.Value) (bool, error) {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return false, nil
			}
			v = v.Elem()
		}
		if n++; n > maxCycleWalk {
			return false, errTooBig
		}
		switch v.Kind() {
		case reflect.Map:
			if v.IsNil() {
				return false, nil
			}
			p := v.UnsafePointer()
			if p == target {
				return true, nil
			}
			if seen[p] {
				return false, nil
			}
			seen[p] = true
			iter := v.MapRange()
			for iter.Next() {
				if ok, err := reaches(iter.Value()); ok || err != nil {
					return ok, err
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				if ok, err := reaches(v.Index(i)); ok || err != nil {
					return ok, err
				}
			}
		}
		return false, nil
	}
	ok, err := reaches(reflect.ValueOf(value))
	switch {
	case err != nil:
		return fmt.Errorf("%w: %s: %v", ErrLimit, name, err)
	case ok:
		return fmt.Errorf("%w: %s would put a dict inside itself", ErrLimit, name)
	}
	return nil
}
