package diagnose

// firedPairs is how many rule and command pairs an engine remembers.
func firedPairs(e *Engine) int { return len(e.fired.m) }
