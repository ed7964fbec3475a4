//! Violation reports: typed parsing of `application/csp-report` and `application/reports+json`
//! bodies.
