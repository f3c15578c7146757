package recache

import "testing"

func TestCacheBounds(t *testing.T) {
	c := New(2, 8)
	a, err := c.Compile("a+")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := c.Compile("a+"); again != a {
		t.Error("a cached pattern was compiled again")
	}
	long, _ := c.Compile("0123456789")
	if again, _ := c.Compile("0123456789"); again == long {
		t.Error("a pattern longer than maxLen was kept")
	}
	c.Compile("b+")
	c.Compile("c+")
	if len(c.m) != 2 {
		t.Errorf("the cache holds %d patterns, want at most 2", len(c.m))
	}
	if _, err := c.Compile("("); err == nil {
		t.Error("a bad pattern compiled")
	}
}
