//go:build unix && !(darwin || ios || freebsd || netbsd)

package portfolio

import (
	"syscall"
	"time"
)

// ctime is the inode change time.
func ctime(st *syscall.Stat_t) time.Time {
	return time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec))
}
