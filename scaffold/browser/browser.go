// Package browser drives a headless Chromium through the DevTools
// protocol (chromedp): it prints pages to PDF for `pmfolio publish --pdf`,
// and gives tests a browser to open a site in. It is the only package that
// imports chromedp. The browser is found on PATH or given with
// PMFOLIO_CHROME, both read from the environment pmfolio was given; the
// browser gets a new, empty profile and none of pmfolio's environment but
// PATH.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pmfolio/pmfolio/scaffold/environ"
	"github.com/pmfolio/pmfolio/scaffold/hint"
)

// Names are the browsers looked for on PATH, in order.
var Names = []string{"chromium", "chromium-headless-shell", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"}

// EnvVar names the browser to use, overriding PATH.
const EnvVar = "PMFOLIO_CHROME"

// InstallHint says how to get a browser.
const InstallHint = "install Chromium (Debian and Ubuntu: sudo apt-get install chromium-headless-shell; macOS: brew install --cask chromium), or set " + EnvVar + " to a Chrome or Chromium executable"

// ErrNotFound says no browser was found.
var ErrNotFound = errors.New("no Chromium or Chrome browser found")

// Find finds the browser: PMFOLIO_CHROME, else the first of Names on
// PATH.
func Find(env *environ.Env) (string, error) {
	if exe := env.Get(EnvVar); exe != "" {
		if !executable(exe) {
			return "", hint.Wrap(fmt.Errorf("%s=%s is not an executable file", EnvVar, exe), "%s", InstallHint)
		}
		return exe, nil
	}
	for _, name := range Names {
		for _, dir := range filepath.SplitList(env.Get("PATH")) {
			if dir == "" {
				continue
			}
			if p := filepath.Join(dir, name); executable(p) {
				return p, nil
			}
		}
	}
	return "", hint.Wrap(fmt.Errorf("%w on PATH (looked for %s)", ErrNotFound, Names[0]+", "+Names[1]+", "+Names[3]), "%s", InstallHint)
}

func executable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// Flags are the browser's command line flags besides the profile: headless,
// no sandbox (it needs privileges containers lack), nothing fetched in the
// background.
var Flags = []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run", "no-default-browser-check",
	"disable-background-networking", "disable-component-update", "disable-sync", "disable-extensions", "hide-scrollbars", "mute-audio"}

// Browser is a running browser.
type Browser struct {
	ctx     context.Context
	cancel  context.CancelFunc
	profile string
}

// Start starts the browser exe with a new, empty profile; ctx bounds its
// life. env gives it PATH only.
func Start(ctx context.Context, exe string, env *environ.Env) (*Browser, error) {
	profile, err := os.MkdirTemp("", "pmfolio-browser-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.UserDataDir(profile), chromedp.NoInheritEnv,
		chromedp.Env("PATH="+env.Get("PATH"), "HOME="+profile)}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &Browser{ctx: bctx, profile: profile, cancel: func() { bcancel(); acancel() }}
	// Start it now, so that a browser that cannot run says so here. The
	// first action must run on the tab's own context, which the browser
	// lives as long as: a timeout stops it instead.
	timer := time.AfterFunc(30*time.Second, b.cancel)
	defer timer.Stop()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		b.Close()
		return nil, hint.Wrap(fmt.Errorf("start the browser %s: %w", exe, err), "%s", InstallHint)
	}
	return b, nil
}

// Context is the context of the browser's first tab, for running actions
// (tests open pages and run scripts with it).
func (b *Browser) Context() context.Context { return b.ctx }

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	b.cancel()
	os.RemoveAll(b.profile)
}

// PDF prints the page at url (file://...) to PDF on A4 with its
// background, as its print stylesheet lays it out.
func (b *Browser) PDF(url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("open %s: %w", url, err)
	}
	out, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFMargin(0.6), chromedp.PDFPrintBackground()))
	if err != nil {
		return nil, fmt.Errorf("print %s: %w", url, err)
	}
	return out, nil
}
