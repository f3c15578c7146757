package render

import (
	"fmt"
	"reflect"
)

// Many functions, and text/template itself when it prints a value, build
// their whole result before anything can check its size: printing a list of
// 10,000 references to one 1 MB string would allocate 10 GB first. So the
// inputs are measured instead, before the call or the print: what fmt would
// write for them, roughly, walking at most maxMeasured values.

const maxMeasured = 200000

// measure returns about how many bytes printing vals would write and how
// many values it walked; it stops once either passes its limit.
func measure(vals []reflect.Value, maxBytes int) (size, walked int) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		if size > maxBytes || walked > maxMeasured || !v.IsValid() {
			return
		}
		walked++
		switch v.Kind() {
		case reflect.Interface, reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.String:
			size += v.Len()
		case reflect.Slice, reflect.Array:
			if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
				size += v.Len()
				return
			}
			for i := 0; i < v.Len(); i++ {
				size++
				walk(v.Index(i))
			}
		case reflect.Map:
			iter := v.MapRange()
			for iter.Next() {
				walk(iter.Key())
				walk(iter.Value())
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i))
			}
		default:
			size += 8
		}
	}
	for _, v := range vals {
		walk(v)
	}
	return size, walked
}

// checkInputs refuses values too big to be printed or passed on, and
// charges the walk to the render's step budget.
func checkInputs(name string, vals []reflect.Value, stop *stopFlag, lim Limits) error {
	size, walked := measure(vals, lim.MaxOutput)
	if err := stop.spend(int64(walked/64), lim.MaxSteps); err != nil {
		return err
	}
	switch {
	case size > lim.MaxOutput:
		return fmt.Errorf("%w: %s: its input is over %d bytes", ErrLimit, name, lim.MaxOutput)
	case walked > maxMeasured:
		return fmt.Errorf("%w: %s: its input holds more than %d values", ErrLimit, name, maxMeasured)
	}
	return nil
}
