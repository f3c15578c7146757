//go:build unix && !linux

package portfolio

// mapPopulate is Linux's alone; elsewhere the pages are read as touched.
const mapPopulate = 0
