package interview

import "sync"

// Script is a Prompter that answers from a list, as a person at a
// terminal would: an answer the prompt's validation refuses is dropped and
// the next one is given, as the terminal asks again; when the list runs
// out, the person presses Ctrl-C. Tests inject it where the terminal
// prompter would be.
type Script struct {
	mu      sync.Mutex
	answers []any
	// Asked records every prompt's message, in order, re-asks included.
	Asked []string
	// Refused records the validation errors shown, in order.
	Refused []string
}

// NewScript returns a Script giving answers in order.
func NewScript(answers ...any) *Script { return &Script{answers: answers} }

// Ask implements Prompter.
func (s *Script) Ask(p Prompt) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		s.Asked = append(s.Asked, p.Message)
		if len(s.answers) == 0 {
			return nil, ErrInterrupted
		}
		a := s.answers[0]
		s.answers = s.answers[1:]
		if p.Validate != nil {
			if err := p.Validate(a); err != nil {
				s.Refused = append(s.Refused, err.Error())
				continue
			}
		}
		return a, nil
	}
}
