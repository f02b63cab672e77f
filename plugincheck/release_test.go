package plugincheck

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readFixture(t *testing.T, name string) *Binary {
	t.Helper()
	b, err := Read(fixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func releaseFile(t *testing.T, fixtureName, file string) ReleaseFile {
	return ReleaseFile{Bin: readFixture(t, fixtureName), File: file, Label: "//x:" + fixtureName}
}

// twoHosts is a release of host (good.so, other.so) and loaderhost
// (good.so): one plugin shipped by both.
func twoHosts(t *testing.T, hostFixture string) []ReleaseHostInput {
	good := releaseFile(t, "good.so", "plugins/good.so")
	return []ReleaseHostInput{
		{ReleaseFile: releaseFile(t, hostFixture, "bin/host"), Name: "host", Plugins: []ReleaseFile{good, releaseFile(t, "other.so", "plugins/other.so")}},
		{ReleaseFile: releaseFile(t, "loaderhost", "bin/loaderhost"), Name: "loaderhost", Plugins: []ReleaseFile{good}},
	}
}

func TestNewRelease(t *testing.T) {
	r, err := NewRelease("app", "1.0", twoHosts(t, "host"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Plugins) != 2 || r.Plugins[0].File != "plugins/good.so" || r.Plugins[1].File != "plugins/other.so" {
		t.Fatalf("plugins: %+v", r.Plugins)
	}
	good, other := r.Plugins[0], r.Plugins[1]
	if !reflect.DeepEqual(good.ShippedWith, []string{"host", "loaderhost"}) || !reflect.DeepEqual(other.ShippedWith, []string{"host"}) {
		t.Errorf("shipped_with: good %v, other %v", good.ShippedWith, other.ShippedWith)
	}
	// other.so was not shipped with loaderhost, but loads into it alone.
	if !reflect.DeepEqual(other.LoadsInto, []string{"host", "loaderhost"}) {
		t.Errorf("other.so loads_into %v", other.LoadsInto)
	}
	if good.PluginPath != "example.com/fixture/plug" || good.Packages["example.com/fixture/api"] == "" {
		t.Errorf("good.so: pluginpath %q, packages %v", good.PluginPath, good.Packages)
	}
	if r.GoVersion == "" || r.GOOS != "linux" || r.Settings["-trimpath"] != "true" {
		t.Errorf("release settings: %s %s %v", r.GoVersion, r.GOOS, r.Settings)
	}
	if got := r.Hosts[0].Plugins; !reflect.DeepEqual(got, []string{"plugins/good.so", "plugins/other.so"}) {
		t.Errorf("host plugins %v", got)
	}

	// Deterministic, and read back as written.
	var a, b bytes.Buffer
	r.WriteJSON(&a)
	again, _ := NewRelease("app", "1.0", twoHosts(t, "host"))
	again.WriteJSON(&b)
	if a.String() != b.String() {
		t.Error("two releases of the same files differ")
	}
	back, err := ParseRelease(a.Bytes(), "release.json")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("read back:\n%+v\nwrote:\n%+v", back, r)
	}
}

// A host whose package differs from what its plugins were built with: the
// release is refused, naming the package.
func TestNewReleaseRefusesPluginThatDoesNotLoad(t *testing.T) {
	_, err := NewRelease("app", "1.0", twoHosts(t, "edited-host"))
	var re *ReleaseError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *ReleaseError", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "example.com/fixture/api") || !strings.Contains(msg, "plugins/good.so") && !strings.Contains(msg, "good.so") {
		t.Errorf("error does not name the package and plugin:\n%s", msg)
	}
}

func TestParseReleaseRefuses(t *testing.T) {
	r, err := NewRelease("app", "1.0", twoHosts(t, "host"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	r.WriteJSON(&buf)
	good := buf.String()
	for _, c := range []struct{ name, from, to, want string }{
		{"other format", `"format": 1`, `"format": 2`, "format 2"},
		{"unknown field", `"format": 1`, `"format": 1, "extra": 0`, "unknown field"},
		{"path outside", `"file": "plugins/other.so"`, `"file": "../other.so"`, "not a path inside the release"},
		{"undescribed plugin", `"plugins/other.so"
      ]`, `"plugins/gone.so"
      ]`, "does not describe"},
	} {
		bad := strings.Replace(good, c.from, c.to, 1)
		if bad == good {
			t.Fatalf("%s: %q not in the manifest", c.name, c.from)
		}
		if _, err := ParseRelease([]byte(bad), "r.json"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

// The host's api package changes from one release to the next: every
// plugin of the old release that uses it must be redeployed with it.
func TestDiffReleases(t *testing.T) {
	old, err := NewRelease("app", "1.0", twoHosts(t, "host"))
	if err != nil {
		t.Fatal(err)
	}
	next, err := NewRelease("app", "1.1", []ReleaseHostInput{
		{ReleaseFile: releaseFile(t, "edited-host", "bin/host"), Name: "host"},
		{ReleaseFile: releaseFile(t, "loaderhost", "bin/loaderhost"), Name: "loaderhost", Plugins: []ReleaseFile{releaseFile(t, "good.so", "plugins/good.so")}},
		{ReleaseFile: releaseFile(t, "host", "bin/admin"), Name: "admin"},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := DiffReleases(old, next)
	if d.OK() || len(d.Hosts) != 3 {
		t.Fatalf("diff: %+v", d)
	}
	host, loaderhost, admin := d.Hosts[0], d.Hosts[1], d.Hosts[2]
	if host.Status != "changed" || len(host.Redeploy) != 2 || len(host.Keep) != 0 {
		t.Errorf("host: %+v", host)
	}
	for _, p := range host.Redeploy {
		if len(p.Mismatches) != 1 || p.Mismatches[0].Package != "example.com/fixture/api" {
			t.Errorf("redeploy %s: %+v", p.Path, p.Mismatches)
		}
	}
	if loaderhost.Status != "unchanged" || len(loaderhost.Redeploy) != 0 || !reflect.DeepEqual(loaderhost.Keep, []string{"plugins/good.so"}) {
		t.Errorf("loaderhost: %+v", loaderhost)
	}
	if admin.Status != "added" {
		t.Errorf("admin: %+v", admin)
	}
	var text bytes.Buffer
	d.WriteText(&text)
	for _, want := range []string{"release app 1.0 -> app 1.1", "host host: changed; 2 plugin(s) of app 1.0 will not load into it", "redeploy  plugins/good.so", "example.com/fixture/api:", "keep      plugins/good.so", "host admin: new in app 1.1"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("diff text lacks %q:\n%s", want, text.String())
		}
	}
	if !DiffReleases(old, old).OK() {
		t.Error("a release diffed with itself asks for a redeploy")
	}
}

func TestVerifyDeployed(t *testing.T) {
	r, err := NewRelease("app", "1.0", twoHosts(t, "host"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	deploy := func(fixtureName, file string) {
		t.Helper()
		data, err := os.ReadFile(fixture(t, fixtureName))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, file)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	deploy("host", "bin/host")
	deploy("loaderhost", "bin/loaderhost")
	deploy("good.so", "plugins/good.so")
	deploy("other.so", "plugins/other.so")
	os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("not a Go file\n"), 0o644)
	rep, err := VerifyDeployed(r, dir)
	if err != nil || !rep.OK() {
		t.Fatalf("as released: %+v, %v", rep, err)
	}

	os.Remove(filepath.Join(dir, "plugins/other.so"))
	deploy("tagged.so", "plugins/good.so") // another build under the released name
	deploy("notrim.so", "plugins/extra.so")
	rep, err = VerifyDeployed(r, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Missing, []string{"plugins/other.so"}) || len(rep.Changed) != 1 || rep.Changed[0].File != "plugins/good.so" || !reflect.DeepEqual(rep.Foreign, []string{"plugins/extra.so"}) {
		t.Fatalf("report: %+v", rep)
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	for _, want := range []string{"missing  plugins/other.so", "changed  plugins/good.so", "foreign  plugins/extra.so"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
}
