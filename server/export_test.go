package server

// TimeoutFor is the deadline a request to path gets.
var TimeoutFor = timeoutFor
