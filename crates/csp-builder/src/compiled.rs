//! A policy pre-serialized once, with the positions of its nonce sources, so that a header
//! with a fresh nonce costs one allocation per response.

use crate::model::{Disposition, SourceKind};
use crate::nonce::{NONCE_LEN, Nonce};
use crate::policy::{Policy, header_value};

/// A pre-serialized policy template. Every nonce source of the policy (typically
/// [`Source::NONCE_PLACEHOLDER`](crate::Source::NONCE_PLACEHOLDER)) is a splice point;
/// [`render`](CompiledPolicy::render) copies the template around them and puts the response's
/// nonce in each, into one exactly-sized buffer.
///
/// ```
/// use csp_builder::{Nonce, Policy, Source};
/// let policy = Policy::builder()
///     .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
///     .style_src([Source::NONCE_PLACEHOLDER])
///     .build()?;
/// let compiled = policy.compile();
/// let nonce = Nonce::generate();
/// let value = compiled.render(&nonce);
/// let n = nonce.as_str();
/// assert_eq!(value.to_str().ok(), Some(format!("script-src 'nonce-{n}' 'strict-dynamic'; style-src 'nonce-{n}'").as_str()));
/// # Ok::<(), csp_builder::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledPolicy {
    template: String,
    /// Byte ranges of the nonce values (between `'nonce-` and `'`) in `template`.
    splices: Vec<(u32, u32)>,
    rendered_len: usize,
    disposition: Disposition,
}

impl CompiledPolicy {
    /// Compiles a policy (same as [`Policy::compile`]).
    ///
    /// ```
    /// use csp_builder::{CompiledPolicy, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// assert_eq!(CompiledPolicy::new(&p).nonce_count(), 0);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn new(policy: &Policy) -> CompiledPolicy {
        let mut splices = Vec::new();
        for d in policy.directives() {
            for s in d.sources() {
                if s.kind() == SourceKind::Nonce {
                    // 'nonce-<value>': the value runs from start + 7 to end - 1.
                    let (start, end) = s.text_span();
                    splices.push((start + 7, end - 1));
                }
            }
        }
        let removed: usize = splices.iter().map(|&(a, b)| (b - a) as usize).sum();
        let rendered_len = policy.as_str().len() - removed + splices.len() * NONCE_LEN;
        CompiledPolicy {
            template: policy.as_str().to_owned(),
            splices,
            rendered_len,
            disposition: policy.disposition(),
        }
    }

    /// Number of nonce positions.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).build()?;
    /// assert_eq!(p.compile().nonce_count(), 1);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn nonce_count(&self) -> usize {
        self.splices.len()
    }

    /// The header to send the rendered value in (from the policy's disposition).
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).report_only().build()?;
    /// assert_eq!(p.compile().header_name(), csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn header_name(&self) -> http::HeaderName {
        self.disposition.header_name()
    }

    /// The disposition.
    ///
    /// ```
    /// use csp_builder::{Disposition, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// assert_eq!(p.compile().disposition(), Disposition::Enforce);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn disposition(&self) -> Disposition {
        self.disposition
    }

    /// The same template with another disposition (enforce and report-only from one policy).
    ///
    /// ```
    /// use csp_builder::{Disposition, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// let ro = p.compile().with_disposition(Disposition::Report);
    /// assert_eq!(ro.header_name(), csp_builder::CONTENT_SECURITY_POLICY_REPORT_ONLY);
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn with_disposition(mut self, disposition: Disposition) -> CompiledPolicy {
        self.disposition = disposition;
        self
    }

    /// The rendered header value with `nonce` in every nonce position: one allocation (an
    /// exactly sized buffer that the header value takes over).
    ///
    /// ```
    /// use csp_builder::{Nonce, Policy, Source};
    /// let p = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).build()?;
    /// let v = p.compile().render(&Nonce::from_random_bytes([1; 16]));
    /// assert_eq!(v, "script-src 'nonce-AQEBAQEBAQEBAQEBAQEBAQ=='");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn render(&self, nonce: &Nonce) -> http::HeaderValue {
        header_value(self.render_string(nonce))
    }

    /// The rendered text (see [`render`](Self::render)).
    ///
    /// ```
    /// use csp_builder::{Nonce, Policy, Source};
    /// let p = Policy::builder().img_src([Source::SELF]).build()?;
    /// assert_eq!(p.compile().render_string(&Nonce::generate()), "img-src 'self'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn render_string(&self, nonce: &Nonce) -> String {
        let mut out = String::with_capacity(self.rendered_len);
        let mut at = 0usize;
        for &(start, end) in &self.splices {
            out.push_str(self.template.get(at..start as usize).unwrap_or_default());
            out.push_str(nonce.as_str());
            at = end as usize;
        }
        out.push_str(self.template.get(at..).unwrap_or_default());
        out
    }
}
