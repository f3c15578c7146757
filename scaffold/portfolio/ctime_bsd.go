//go:build darwin || ios || freebsd || netbsd

package portfolio

import (
	"syscall"
	"time"
)

// ctime is the inode change time, which these systems call Ctimespec.
func ctime(st *syscall.Stat_t) time.Time {
	return time.Unix(int64(st.Ctimespec.Sec), int64(st.Ctimespec.Nsec))
}
