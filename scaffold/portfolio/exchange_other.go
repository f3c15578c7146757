//go:build unix && !linux

package portfolio

// exchange reports that this build cannot trade two names atomically:
// writeBatch renames instead.
func (d *folder) exchange(string, string) error { return errNoExchange }

func exchangePaths(string, string) error { return errNoExchange }
