package portfolio

import "golang.org/x/sys/unix"

// mapPopulate asks Linux to read the whole file in as it is mapped: the
// caller reads all of it.
const mapPopulate = unix.MAP_POPULATE
