package check

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// SARIF 2.1.0, as GitHub code scanning reads it: one run, every rule in
// the driver with its explanation as help, a result per finding located by
// a path relative to the repository root (%SRCROOT%) and a line, and the
// finding's fingerprint as a partial fingerprint so that alerts follow a
// finding when lines move.

const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags      []string `json:"tags"`
	Framework string   `json:"framework,omitempty"`
	Kind      string   `json:"kind,omitempty"`
	Track     string   `json:"track,omitempty"`
	Origin    string   `json:"origin"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Suppressions        []sarifSuppress   `json:"suppressions,omitempty"`
}

// sarifSuppress is a result's suppression: where it lives (inSource, a
// directive; external, the configuration or the baseline file), what it
// is, and where. GitHub code scanning shows a suppressed result as
// dismissed rather than open.
type sarifSuppress struct {
	Kind          string         `json:"kind"`
	Justification string         `json:"justification"`
	Location      *sarifLocation `json:"location,omitempty"`
}

// suppressions are a finding's SARIF suppressions, the one place they are
// made: a directive's or the configuration's (Finding.Suppression), or the
// baseline file's for a baselined finding.
func suppressions(f *Finding, o *Output) []sarifSuppress {
	if s := f.Suppression; s != nil {
		sup := sarifSuppress{Kind: s.Kind, Justification: "suppressed by " + s.By}
		if s.File != "" {
			sup.Location = &sarifLocation{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: sarifURI(o.path(s.File)), URIBaseID: "%SRCROOT%"},
				Region:           sarifRegion{StartLine: max(s.Line, 1)},
			}}
		}
		return []sarifSuppress{sup}
	}
	if f.Baselined {
		why := "recorded in the baseline"
		if o.BaselineFile != "" {
			why += " " + o.BaselineFile
		}
		return []sarifSuppress{{Kind: External, Justification: why}}
	}
	return nil
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// sarifURI escapes a relative path as a URI reference, segment by segment.
func sarifURI(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// writeSARIF streams the log: the envelope and the rules first, then one
// result at a time, so that a run with 100,000 findings never holds them
// all as SARIF objects at once.
func writeSARIF(w io.Writer, r *Report, o *Output) error {
	driver := sarifDriver{Name: "pmfolio", Version: o.Version, InformationURI: "https://github.com/pmfolio/pmfolio"}
	index := map[string]int{}
	for i, rule := range r.rules {
		index[rule.ID] = i
		tags := []string{"pmfolio", strings.SplitN(rule.ID, "/", 2)[0]}
		help := rule.Message
		if rule.Explain != "" {
			help = rule.Explain
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   rule.ID,
			ShortDescription:     sarifText{Text: rule.Message},
			FullDescription:      sarifText{Text: rule.Message + " (" + rule.Framework + ")"},
			Help:                 sarifText{Text: help, Markdown: help},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(rule.Severity)},
			Properties:           sarifRuleProps{Tags: tags, Framework: rule.Framework, Kind: rule.Kind, Track: rule.Track, Origin: rule.Origin},
		})
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	tool, err := json.MarshalIndent(sarifTool{Driver: driver}, "      ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "{\n  \"$schema\": %q,\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"tool\": %s,\n", sarifSchema, tool)
	bw.WriteString("      \"invocations\": [{\"executionSuccessful\": true}],\n      \"columnKind\": \"unicodeCodePoints\",\n")
	if r.Progress != nil {
		pr, err := json.Marshal(map[string]any{"pmfolioProgress": r.Progress})
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "      \"properties\": %s,\n", pr)
	}
	bw.WriteString("      \"results\": [")
	first := true
	var buf []byte
	result := func(f *Finding) {
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: sarifURI(o.path(f.Path)), URIBaseID: "%SRCROOT%"},
				// Code scanning needs a line; file-wide findings
				// point at the first.
				Region: sarifRegion{StartLine: max(f.Line, 1)},
			}}},
			PartialFingerprints: map[string]string{"pmfolioFingerprint/v2": f.Fingerprint},
			Suppressions:        suppressions(f, o),
		}
		switch {
		case f.Baselined:
			res.BaselineState = "unchanged"
		case r.baseline != nil:
			res.BaselineState = "new"
		}
		buf = appendSARIFResult(buf[:0], &res)
		if !first {
			bw.WriteByte(',')
		}
		first = false
		bw.WriteString("\n        ")
		bw.Write(buf)
	}
	r.each(result)
	// Suppressed findings are results too, marked so: code scanning keeps
	// them out of the alerts, a grader still sees each one.
	for i := range r.Documents {
		for j := range r.Documents[i].Suppressed {
			result(&r.Documents[i].Suppressed[j])
		}
	}
	for i := range r.PlanSuppressed {
		result(&r.PlanSuppressed[i])
	}
	if !first {
		bw.WriteString("\n      ")
	}
	bw.WriteString("]\n    }\n  ]\n}\n")
	return bw.Flush()
}
