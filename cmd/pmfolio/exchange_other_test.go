//go:build !linux

package main

// canExchange reports that pmfolio never trades names on this system (see
// the Linux version).
func canExchange(string) bool { return false }
