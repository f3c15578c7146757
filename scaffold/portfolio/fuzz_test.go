package portfolio

import "testing"

// FuzzParseConfig: any pmfolio.yaml ends in a configuration or an error
// naming the file, never a panic; an accepted one survives Marshal.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"version: 1\nname: Ada\nrole: PM\ntrack: core\nstart: 2026-01-05\n",
		"version: 1\nauthor: {name: A, email: a@b.c}\npack: default\n",
		"version: 1\ntrack: technical\n", "{}", "version: [1]\n", "name: \xff\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig("pmfolio.yaml", data)
		if err != nil {
			return
		}
		if _, err := ParseConfig("again.yaml", c.Marshal()); err != nil {
			t.Fatalf("a configuration pmfolio accepted does not read back: %v\n%s", err, c.Marshal())
		}
	})
}
