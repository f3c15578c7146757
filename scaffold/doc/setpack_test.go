package doc

import "testing"

func TestSetPack(t *testing.T) {
	t.Parallel()
	in := "---\nkind: prd\ntitle: X\npack:\n  name: course\n  version: 1.0.0\nstatus: Draft\n---\n# X\n\nversion: 1.0.0\n"
	got, ok := SetPack([]byte(in), PackRef{Name: "course", Version: "1.1.0"})
	want := "---\nkind: prd\ntitle: X\npack:\n  name: course\n  version: 1.1.0\nstatus: Draft\n---\n# X\n\nversion: 1.0.0\n"
	if !ok || string(got) != want {
		t.Errorf("got %v:\n%s", ok, got)
	}
	for _, bad := range []string{"# no front matter\n", "---\npack: {name: a, version: 1}\n---\n", "---\nkind: x\n---\n"} {
		if got, ok := SetPack([]byte(bad), PackRef{Name: "a", Version: "2"}); ok || string(got) != bad {
			t.Errorf("%q: changed to %q", bad, got)
		}
	}
	fm, _, _, _, err := ParseFrontMatter(got)
	if err != nil || fm.Pack.Version != "1.1.0" {
		t.Errorf("the result does not parse: %+v %v", fm, err)
	}
}
