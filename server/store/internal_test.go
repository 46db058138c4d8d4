package store

// WithConnectTimeout is withConnectTimeout, for the tests.
var WithConnectTimeout = withConnectTimeout
