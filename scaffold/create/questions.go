package create

import (
	"context"

	"github.com/pmfolio/pmfolio/scaffold/hint"
	"github.com/pmfolio/pmfolio/scaffold/interview"
	"github.com/pmfolio/pmfolio/scaffold/pack"
	"github.com/pmfolio/pmfolio/scaffold/packstore"
	"github.com/pmfolio/pmfolio/scaffold/session"
)

// QuestionsRequest asks for the questions of a kind, or of init.
type QuestionsRequest struct {
	// Dir is the folder the command runs in: inside a portfolio, its pack
	// answers; outside, the default pack.
	Dir string
	// Kind is a kind of document, or "init".
	Kind string
	// Pack names the pack to ask instead.
	Pack string
}

// QuestionSet is the questions of a kind, or of init.
type QuestionSet struct {
	// Title names the set: "prd: Product requirements document".
	Title     string
	Pack      *pack.Pack
	Questions []interview.Question
}

// Questions returns the questions new (or init) asks, for writing answers
// files. It creates and changes nothing.
func Questions(ctx context.Context, sess *session.Session, req QuestionsRequest) (*QuestionSet, error) {
	s, err := packstore.At(ctx, sess, req.Dir)
	if err != nil {
		return nil, err
	}
	pk, err := s.Resolve(req.Pack)
	if err != nil {
		return nil, err
	}
	if req.Kind == "init" {
		qs, err := InitQuestions(pk)
		if err != nil {
			return nil, err
		}
		return &QuestionSet{Title: "init: the portfolio", Pack: pk, Questions: qs}, nil
	}
	k, err := pk.Kind(req.Kind)
	if err != nil {
		return nil, hint.Wrap(err, "or 'init' for the questions pmfolio init asks")
	}
	return &QuestionSet{Title: k.ID + ": " + k.Name, Pack: pk, Questions: k.Questions}, nil
}
