//go:build !linux

package dirswap

import "errors"

// exchange is not available: Replace falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
