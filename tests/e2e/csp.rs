//! Content-Security-Policy in Chromium: nonces, blocked injections, violation reports (both
//! `report-uri` and `report-to`, delivered by Chromium to the page's endpoint and parsed with
//! `csp_builder::report`), report-only mode.
//!
//! One page serves all the tests. It records every script that runs into the `data-ran`
//! attribute of `<html>`, and the test reads that attribute back through WebDriver:
//!
//! | recorded as | what it is | expected under the policy |
//! |---|---|---|
//! | `nonced-inline` | inline script with this response's nonce | runs |
//! | `nonced-other-origin` | script from the second server, with this response's nonce | runs |
//! | `error-event` | an `addEventListener` listener on the probe image's `error` event | runs |
//! | `injected-inline` | inline script without a nonce, as an injection would put it | blocked |
//! | `stale-nonce` | inline script carrying the previous response's nonce | blocked |
//! | `inline-handler` | `onerror="…"` attribute of the probe image | blocked |
//! | `other-origin` | script from the second server, without a nonce | blocked |
//!
//! The positive controls (`nonced-other-origin`, `error-event`) show that the other server
//! answers and that the image's `error` event does fire, so a missing entry means "blocked",
//! not "never tried".

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::Html;
use axum::routing::get;
use csp_builder::report::{BlockedUri, Disposition, ReportFormat, ViolationReport};
use secure_headers::preset::strict_csp;
use secure_headers::{
    CrossOriginEmbedderPolicy, CspNonce, ReportingEndpoints, SecureHeaders, SecureHeadersBuilder,
    SecureHeadersLayer,
};

use crate::TestResult;
use crate::browser::Browser;
use crate::ensure;
use crate::server::{Bound, ReportSink, Scheme, TestServer};

/// How long `report-uri` reports (sent as soon as the violation happens) may take to arrive
/// after the page loaded.
const REPORT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long Reporting API reports (queued, then uploaded in a batch; about 100 ms under
/// `--short-reporting-delay`) may take to arrive after the page loaded.
const REPORTING_API_TIMEOUT: Duration = Duration::from_secs(20);

/// The `Reporting-Endpoints` name the `report-to` tests give their endpoint.
const ENDPOINT_NAME: &str = "csp-endpoint";

/// What the injection puts into the page: an inline script without a nonce.
const INJECTED: &str = "<script>record('injected-inline')</script>";

/// The page, rendered for one response. `previous` is the nonce of the page's previous
/// response, if any.
fn page(nonce: &str, previous: Option<CspNonce>, other_origin: &str) -> String {
    let stale = previous.map_or_else(String::new, |p| {
        format!(r#"<script nonce="{p}">record('stale-nonce')</script>"#)
    });
    format!(
        r#"<!doctype html>
<html data-ran="">
<head>
<title>csp</title>
<script nonce="{nonce}">
  function record(what) {{
    document.documentElement.dataset.ran += what + " ";
  }}
  addEventListener("load", () => {{ document.documentElement.dataset.loaded = "1"; }});
</script>
</head>
<body>
<p>Comment from a user, rendered without escaping: {INJECTED}</p>
{stale}
<img id="probe" src="/missing.png" onerror="record('inline-handler')">
<script nonce="{nonce}">
  document.getElementById("probe").addEventListener("error", () => record("error-event"));
</script>
<script src="{other_origin}/other.js"></script>
<script nonce="{nonce}" src="{other_origin}/nonced.js"></script>
<script nonce="{nonce}">record("nonced-inline")</script>
</body>
</html>"#
    )
}

/// The second origin: serves two scripts (another port is another origin). It has no
/// security headers of its own; whether its scripts run is decided by the page's policy only.
fn other_origin_router() -> Router {
    let js = |body: &'static str| {
        get(move || async move { ([(CONTENT_TYPE, "text/javascript")], body) })
    };
    Router::new()
        .route("/other.js", js("record('other-origin')"))
        .route("/nonced.js", js("record('nonced-other-origin')"))
}

/// The strict preset as the page's base.
///
/// Changes from `SecureHeaders::strict()`, each for a reason that has nothing to do with
/// what the tests check:
/// * `Cross-Origin-Embedder-Policy: require-corp` is turned off: it would block the other
///   origin's scripts by itself (they carry no `Cross-Origin-Resource-Policy`), so the tests
///   could not tell the CSP's decision from COEP's.
fn strict_base() -> SecureHeadersBuilder {
    SecureHeaders::strict().disable(CrossOriginEmbedderPolicy::NAME)
}

/// The `Reporting-Endpoints` header naming `{origin}/reports` as [`ENDPOINT_NAME`].
fn reports_endpoint(origin: &str) -> Result<ReportingEndpoints, String> {
    ReportingEndpoints::builder()
        .endpoint(ENDPOINT_NAME, &format!("{origin}/reports"))
        .build()
        .map_err(|e| format!("the Reporting-Endpoints header does not build: {e}"))
}

/// Serves the page behind `bundle`, the report endpoint (`/csp-report`, `/reports`) and the
/// second origin's scripts, all over `scheme`.
struct CspSite {
    page: TestServer,
    other: TestServer,
    reports: ReportSink,
}

impl CspSite {
    /// `bundle` gets the page's origin.
    async fn start(
        scheme: Scheme,
        bundle: impl FnOnce(&str) -> Result<SecureHeadersBuilder, String>,
    ) -> Result<Self, String> {
        let page_bound = Bound::loopback_with(scheme).await?;
        let other_bound = Bound::loopback_with(scheme).await?;
        let other_origin = other_bound.origin();
        let bundle = bundle(&page_bound.origin())?
            .build()
            .map_err(|e| format!("the bundle does not build: {e}"))?;
        let reports = ReportSink::default();
        let previous: Arc<Mutex<Option<CspNonce>>> = Arc::default();
        let router = Router::new()
            .route(
                "/page",
                // The nonce is read from the request extensions rather than with the
                // `CspNonce` extractor, so that the page is still served when a deliberately
                // broken policy has no nonce (the extractor would answer 500).
                get(move |request: Request| {
                    let previous = Arc::clone(&previous);
                    let other_origin = other_origin.clone();
                    async move {
                        let nonce = request.extensions().get::<CspNonce>().copied();
                        let mut last = previous.lock().unwrap_or_else(PoisonError::into_inner);
                        let stale = std::mem::replace(&mut *last, nonce);
                        let nonce = nonce.map_or_else(|| "no-nonce".to_owned(), |n| n.to_string());
                        Html(page(&nonce, stale, &other_origin))
                    }
                }),
            )
            .merge(reports.route("/csp-report"))
            .merge(reports.route("/reports"))
            .layer(SecureHeadersLayer::new(bundle));
        Ok(Self {
            page: page_bound.serve(router),
            other: other_bound.serve(other_origin_router()),
            reports,
        })
    }

    /// Loads the page twice (the second response gets the first one's nonce as the stale
    /// one), waits for its `load` event and returns what ran and the page's URL.
    async fn load(&self, browser: &Browser) -> Result<(Vec<String>, String), String> {
        let url = self.page.url("/page");
        browser.goto(&url).await?;
        browser.goto(&url).await?;
        browser
            .wait_for_attr("html", "data-loaded", |v| v == "1")
            .await?;
        let ran = browser.attr("html", "data-ran").await?.unwrap_or_default();
        Ok((ran.split_whitespace().map(str::to_owned).collect(), url))
    }

    /// Waits (at most `timeout`) until the endpoint has received the three violation reports
    /// [`check_violations`] expects, then checks them: every delivery parsed, and each report
    /// came in `format` with `disposition`.
    async fn expect_violations(
        &self,
        timeout: Duration,
        page_url: &str,
        format: ReportFormat,
        disposition: Disposition,
    ) -> TestResult {
        let other_origin = self.other.origin();
        let check = |violations: &[(String, ViolationReport)]| {
            check_violations(violations, page_url, &other_origin, format, disposition)
        };
        self.reports
            .wait_until(timeout, |violations| check(violations).is_ok())
            .await;
        let unparsable = self.reports.unparsable();
        ensure!(
            unparsable.is_empty(),
            "report bodies that did not parse: {unparsable:?}"
        );
        check(&self.reports.violations())
    }
}

/// Which of `entries` are in `ran`.
fn ran_of<'e>(ran: &[String], entries: &[&'e str]) -> Vec<&'e str> {
    entries
        .iter()
        .copied()
        .filter(|e| ran.iter().any(|r| r == e))
        .collect()
}

const MUST_RUN: &[&str] = &["nonced-inline", "nonced-other-origin", "error-event"];
const INJECTIONS: &[&str] = &[
    "injected-inline",
    "stale-nonce",
    "inline-handler",
    "other-origin",
];

/// CSP3 §8.2 (nonces) and §6.1.1 (script-src): under the strict preset's
/// `script-src 'nonce-…' 'strict-dynamic'`, only scripts carrying this response's nonce run;
/// an injected inline script, a script with an earlier response's nonce, an inline event
/// handler and a script from another origin do not.
///
/// Checked: with the nonce removed from the policy (`script-src 'strict-dynamic'` alone) this
/// test fails with "html[data-loaded] was \"\" after 15s, still not ready" (not even the page's
/// own scripts run); with `script-src 'unsafe-inline' http://127.0.0.1:*` in place of the
/// nonce it fails with "ran although the policy forbids it: [\"injected-inline\",
/// \"inline-handler\", \"other-origin\"]"; with the page given its current nonce as the
/// "previous" one (a nonce reused across responses) it fails with "ran although the policy
/// forbids it: [\"stale-nonce\"]".
pub(crate) async fn nonced_inline_script_runs_and_injected_scripts_do_not(
    browser: &Browser,
) -> TestResult {
    let site = CspSite::start(Scheme::Http, |_| Ok(strict_base())).await?;
    let (ran, _) = site.load(browser).await?;
    let missing: Vec<&str> = MUST_RUN
        .iter()
        .copied()
        .filter(|e| !ran.iter().any(|r| r == e))
        .collect();
    ensure!(
        missing.is_empty(),
        "expected to run but did not: {missing:?} (ran: {ran:?})"
    );
    let injected = ran_of(&ran, INJECTIONS);
    ensure!(
        injected.is_empty(),
        "ran although the policy forbids it: {injected:?} (ran: {ran:?})"
    );
    Ok(())
}

/// Decides whether a report's blocked URI is the expected one.
type BlockedMatcher<'a> = dyn Fn(&BlockedUri) -> bool + 'a;

/// Finds the violation for `directive` and `blocked` among the reports, or says what came.
fn find_violation<'r>(
    violations: &'r [(String, ViolationReport)],
    directive: &str,
    blocked: &dyn Fn(&BlockedUri) -> bool,
) -> Result<&'r (String, ViolationReport), String> {
    violations
        .iter()
        .find(|(_, v)| v.effective_directive == directive && blocked(&v.blocked_uri))
        .ok_or_else(|| {
            let seen: Vec<_> = violations
                .iter()
                .map(|(ct, v)| format!("{ct}: {} {}", v.effective_directive, v.blocked_uri))
                .collect();
            format!("no {directive} violation with the expected blocked-uri; received {seen:?}")
        })
}

/// Checks the three violations the page causes: the injected inline script, the inline event
/// handler and the other origin's script, each reported with `disposition`, for the page's
/// URL, with the policy that carried the nonce.
fn check_violations(
    violations: &[(String, ViolationReport)],
    page_url: &str,
    other_origin: &str,
    format: ReportFormat,
    disposition: Disposition,
) -> TestResult {
    let other_script = format!("{other_origin}/other.js");
    let expected: [(&str, &BlockedMatcher<'_>); 3] = [
        ("script-src-elem", &|b| *b == BlockedUri::Inline),
        ("script-src-attr", &|b| *b == BlockedUri::Inline),
        (
            "script-src-elem",
            &|b| matches!(b, BlockedUri::Url(u) if *u == other_script),
        ),
    ];
    for (directive, blocked) in expected {
        let (content_type, v) = find_violation(violations, directive, blocked)?;
        ensure!(
            v.format == format,
            "{directive} report came as {:?} ({content_type}), expected {format:?}",
            v.format
        );
        ensure!(
            v.disposition == Some(disposition),
            "{directive} report has disposition {:?}, expected {disposition:?}",
            v.disposition
        );
        ensure!(
            v.document_uri == page_url,
            "{directive} report names document {:?}, expected {page_url:?}",
            v.document_uri
        );
        ensure!(
            v.original_policy.contains("'nonce-") && v.original_policy.contains("'strict-dynamic'"),
            "{directive} report's policy is not the page's nonce policy: {:?}",
            v.original_policy
        );
    }
    Ok(())
}

/// CSP3 §5.5 (report a violation) with `report-uri` (§6.5.1, deprecated serialization §5.4):
/// each blocked script produces an `application/csp-report` POST that
/// `ViolationReport::parse_body` reads into a typed report naming the effective directive,
/// what was blocked, the page and the enforced disposition.
///
/// Checked: with `report-uri` removed from the policy this test fails with "no
/// script-src-elem violation with the expected blocked-uri; received []".
pub(crate) async fn blocked_scripts_are_reported_to_report_uri(browser: &Browser) -> TestResult {
    let site = CspSite::start(Scheme::Http, |_| {
        Ok(strict_base().csp(strict_csp().directive("report-uri", ["/csp-report"])))
    })
    .await?;
    let (_, url) = site.load(browser).await?;
    site.expect_violations(
        REPORT_TIMEOUT,
        &url,
        ReportFormat::CspReport,
        Disposition::Enforce,
    )
    .await
}

/// CSP3 §5.5 step 5 with `report-to` (§6.5.2) and the Reporting API (Reporting §3.3
/// `Reporting-Endpoints`, §2.4 delivery): each blocked script produces a `csp-violation`
/// report that Chromium itself uploads, as `application/reports+json`, to the endpoint the
/// page's own response named in `Reporting-Endpoints` (the same response as the CSP), and
/// `ViolationReport::parse_body` reads into a typed report naming the effective directive,
/// what was blocked, the page and the enforced disposition.
///
/// Chromium 156 delivers these reports only for a page served over HTTPS; hence HTTPS here
/// (the run's self-signed certificate, trusted by the test browsers by its public key), with
/// `--short-reporting-delay` so the upload comes within a fraction of a second. Over
/// `http://127.0.0.1` (a secure context by Secure Contexts §3.1, and so by the Reporting spec
/// allowed to set endpoints), Chromium generates the reports (a `ReportingObserver` sees them)
/// but never uploads them: no request reached the endpoint, and a net log
/// (`--log-net-log`) showed the endpoint URL only inside the page's `Reporting-Endpoints`
/// response header, with no request to it (tried: endpoint absolute and relative, page on
/// `127.0.0.1` and on `localhost`, with `--short-reporting-delay`, with and without
/// `--disable-background-networking`, waiting up to 130 s; an HTTP page naming an HTTPS
/// endpoint got nothing either). With the page over HTTPS, the first upload arrives about
/// 100 ms after the load.
///
/// Checked: each of these makes this test fail with "no script-src-elem violation with the
/// expected blocked-uri; received []": `report-to` removed from the policy; the
/// `Reporting-Endpoints` header stripped from the responses (by a middleware outside
/// `SecureHeadersLayer`, since the bundle refuses a `report-to` naming an undefined endpoint);
/// the page and the endpoint served over plain HTTP (`Scheme::Http`).
pub(crate) async fn blocked_scripts_are_delivered_to_the_report_to_endpoint(
    browser: &Browser,
) -> TestResult {
    let site = CspSite::start(Scheme::Https, |origin| {
        Ok(strict_base()
            .reporting_endpoints(&reports_endpoint(origin)?)
            .csp(strict_csp().directive("report-to", [ENDPOINT_NAME])))
    })
    .await?;
    let (_, url) = site.load(browser).await?;
    site.expect_violations(
        REPORTING_API_TIMEOUT,
        &url,
        ReportFormat::ReportingApi,
        Disposition::Enforce,
    )
    .await
}

/// Fails unless every script of the page ran: a report-only policy blocks nothing.
fn ensure_nothing_blocked(ran: &[String]) -> TestResult {
    let blocked: Vec<&str> = MUST_RUN
        .iter()
        .chain(INJECTIONS)
        .copied()
        .filter(|e| !ran.iter().any(|r| r == e))
        .collect();
    ensure!(
        blocked.is_empty(),
        "blocked although the policy is report-only: {blocked:?} (ran: {ran:?})"
    );
    Ok(())
}

/// The strict CSP, sent as `Content-Security-Policy-Report-Only` with `reporting` (a
/// reporting directive and its value) added; `upgrade-insecure-requests` is dropped, since it
/// has no effect in a report-only policy (CSP3 §6.2: "ignored" there) and Chromium warns.
fn report_only(reporting: (&str, &str)) -> SecureHeadersBuilder {
    let (directive, value) = reporting;
    strict_base()
        .disable(CONTENT_SECURITY_POLICY)
        .csp_report_only(
            strict_csp()
                .remove("upgrade-insecure-requests")
                .directive(directive, [value]),
        )
}

/// CSP3 §4.1 / §6.2: a policy delivered in `Content-Security-Policy-Report-Only` blocks
/// nothing, but reports every violation (disposition `report`) to its `report-uri`.
///
/// Checked: with the same policy sent as the enforced `Content-Security-Policy` instead, this
/// test fails with "blocked although the policy is report-only: [\"injected-inline\",
/// \"stale-nonce\", \"inline-handler\", \"other-origin\"]".
pub(crate) async fn report_only_policy_reports_but_does_not_block(browser: &Browser) -> TestResult {
    let site = CspSite::start(Scheme::Http, |_| {
        Ok(report_only(("report-uri", "/csp-report")))
    })
    .await?;
    let (ran, url) = site.load(browser).await?;
    ensure_nothing_blocked(&ran)?;
    site.expect_violations(
        REPORT_TIMEOUT,
        &url,
        ReportFormat::CspReport,
        Disposition::Report,
    )
    .await
}

/// CSP3 §4.1 / §6.2 with `report-to`: a report-only policy's violations are delivered by
/// Chromium to the `Reporting-Endpoints` endpoint as `application/reports+json`, with
/// disposition `report`, and nothing is blocked. HTTPS for the reason given at
/// [`blocked_scripts_are_delivered_to_the_report_to_endpoint`].
///
/// Checked: with `report-to` removed from the report-only policy, and (separately) with the
/// `Reporting-Endpoints` header stripped from the responses, this test fails with "no
/// script-src-elem violation with the expected blocked-uri; received []".
pub(crate) async fn report_only_policy_reports_to_the_report_to_endpoint(
    browser: &Browser,
) -> TestResult {
    let site = CspSite::start(Scheme::Https, |origin| {
        Ok(report_only(("report-to", ENDPOINT_NAME))
            .reporting_endpoints(&reports_endpoint(origin)?))
    })
    .await?;
    let (ran, url) = site.load(browser).await?;
    ensure_nothing_blocked(&ran)?;
    site.expect_violations(
        REPORTING_API_TIMEOUT,
        &url,
        ReportFormat::ReportingApi,
        Disposition::Report,
    )
    .await
}
