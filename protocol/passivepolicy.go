package protocol

// SetFollowPassiveAddress changes where the session's data connections go
// from the next 227 or 228 reply on: with follow set, to the address the
// server announces even when it is not the control connection's peer (as
// a plain client does, and as Config.FollowPassiveAddress asks at start);
// without it, to the peer (as FileZilla does). A teacher switches it
// during a session to show a NAT failure, then its workaround.
func (s *Session) SetFollowPassiveAddress(follow bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.FollowPassiveAddress = follow
}

// FollowsPassiveAddress reports whether data connections go to the
// address a 227 or 228 announces (true) or to the control connection's
// peer (false).
func (s *Session) FollowsPassiveAddress() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.FollowPassiveAddress
}
