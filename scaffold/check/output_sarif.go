package check

import (
	"encoding/json"
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

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	ColumnKind  string            `json:"columnKind"`
}

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

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
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
// directive; external, the configuration), what it is, and where.
type sarifSuppress struct {
	Kind          string         `json:"kind"`
	Justification string         `json:"justification"`
	Location      *sarifLocation `json:"location,omitempty"`
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

func writeSARIF(w io.Writer, r *Report, o *Output) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "pmfolio", Version: o.Version,
			InformationURI: "https://github.com/pmfolio/pmfolio"}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		Results:     []sarifResult{},
		ColumnKind:  "unicodeCodePoints",
	}
	index := map[string]int{}
	for i, rule := range r.rules {
		index[rule.ID] = i
		tags := []string{"pmfolio", strings.SplitN(rule.ID, "/", 2)[0]}
		help := rule.Message
		if rule.Explain != "" {
			help = rule.Explain
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   rule.ID,
			ShortDescription:     sarifText{Text: rule.Message},
			FullDescription:      sarifText{Text: rule.Message + " (" + rule.Framework + ")"},
			Help:                 sarifText{Text: help, Markdown: help},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(rule.Severity)},
			Properties:           sarifRuleProps{Tags: tags, Framework: rule.Framework, Kind: rule.Kind, Track: rule.Track, Origin: rule.Origin},
		})
	}
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
			PartialFingerprints: map[string]string{"pmfolioFingerprint/v1": f.Fingerprint},
		}
		switch {
		case f.Baselined:
			res.BaselineState = "unchanged"
		case r.baseline:
			res.BaselineState = "new"
		}
		if s := f.Suppression; s != nil {
			sup := sarifSuppress{Kind: s.Kind, Justification: "suppressed by " + s.By}
			if s.File != "" {
				sup.Location = &sarifLocation{PhysicalLocation: sarifPhysical{
					ArtifactLocation: sarifArtifact{URI: sarifURI(o.path(s.File)), URIBaseID: "%SRCROOT%"},
					Region:           sarifRegion{StartLine: max(s.Line, 1)},
				}}
			}
			res.Suppressions = []sarifSuppress{sup}
		}
		run.Results = append(run.Results, res)
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Directives quoted in suppressions read as written: <!-- ... -->.
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}
