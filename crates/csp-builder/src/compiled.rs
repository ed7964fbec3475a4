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
    /// The whole policy as a header value, built once: what a policy without nonce sources
    /// sends on every response (a clone, no allocation).
    full: http::HeaderValue,
    /// The policy with every nonce source left out, built once (see
    /// [`without_nonces`](CompiledPolicy::without_nonces)).
    without_nonces: http::HeaderValue,
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
        let template = policy.as_str();
        let removed: usize = splices.iter().map(|&(a, b)| (b - a) as usize).sum();
        let rendered_len = template.len() - removed + splices.len() * NONCE_LEN;
        // Every source is preceded by exactly one space in the canonical text (after the
        // directive name or the previous source), so cutting " 'nonce-…'" leaves a canonical
        // policy; a directive left without sources has an empty source list.
        let mut without = String::with_capacity(template.len());
        let mut at = 0usize;
        for &(start, end) in &splices {
            let source_start = (start as usize).saturating_sub(NONCE_PREFIX.len() + 1);
            without.push_str(template.get(at..source_start).unwrap_or_default());
            at = end as usize + 1;
        }
        without.push_str(template.get(at..).unwrap_or_default());
        CompiledPolicy {
            template: template.to_owned(),
            splices,
            rendered_len,
            disposition: policy.disposition(),
            full: policy.to_header_value(),
            without_nonces: header_value(without),
        }
    }

    /// The policy text with the nonce sources as they were in the policy (usually
    /// [`Source::NONCE_PLACEHOLDER`](crate::Source::NONCE_PLACEHOLDER)).
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).build()?;
    /// assert_eq!(p.compile().template(), "script-src 'nonce-REPLACED_PER_RESPONSE'");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn template(&self) -> &str {
        &self.template
    }

    /// Length in bytes of every rendered value (the nonce has a fixed length).
    ///
    /// ```
    /// use csp_builder::{Nonce, Policy, Source};
    /// let p = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).build()?;
    /// let c = p.compile();
    /// assert_eq!(c.rendered_len(), c.render(&Nonce::generate()).len());
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn rendered_len(&self) -> usize {
        self.rendered_len
    }

    /// The policy with every nonce source left out, as a header value built once (cloning it
    /// does not allocate). Send it when no nonce is available: it fails closed, since a
    /// directive whose only source was the nonce then allows nothing.
    ///
    /// ```
    /// use csp_builder::{Policy, Source};
    /// let p = Policy::builder()
    ///     .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
    ///     .style_src([Source::NONCE_PLACEHOLDER])
    ///     .build()?;
    /// assert_eq!(p.compile().without_nonces(), "script-src 'strict-dynamic'; style-src");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    #[must_use]
    pub fn without_nonces(&self) -> http::HeaderValue {
        self.without_nonces.clone()
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
    /// exactly sized buffer that the header value takes over). A policy without nonce sources
    /// returns its value built at compile time (a clone, no allocation).
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
        if self.splices.is_empty() {
            return self.full.clone();
        }
        let mut out = Vec::with_capacity(self.rendered_len);
        self.render_into(nonce, &mut out);
        // The template is a canonical policy (visible ASCII and spaces) and the nonce is
        // base64, so the value is always valid; `Vec<u8>` becomes the value without a copy.
        http::HeaderValue::try_from(out).unwrap_or_else(|_| self.without_nonces.clone())
    }

    /// Appends the rendered text (see [`render`](Self::render)) to `out`, for callers that
    /// keep their own buffer. Appends exactly [`rendered_len`](Self::rendered_len) bytes.
    ///
    /// ```
    /// use csp_builder::{Nonce, Policy, Source};
    /// let p = Policy::builder().script_src([Source::NONCE_PLACEHOLDER]).build()?;
    /// let mut buf = b"x: ".to_vec();
    /// p.compile().render_into(&Nonce::from_random_bytes([0; 16]), &mut buf);
    /// assert_eq!(buf, b"x: script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='");
    /// # Ok::<(), csp_builder::BuildError>(())
    /// ```
    pub fn render_into(&self, nonce: &Nonce, out: &mut Vec<u8>) {
        out.reserve(self.rendered_len);
        let template = self.template.as_bytes();
        let mut at = 0usize;
        for &(start, end) in &self.splices {
            out.extend_from_slice(template.get(at..start as usize).unwrap_or_default());
            out.extend_from_slice(nonce.as_bytes());
            at = end as usize;
        }
        out.extend_from_slice(template.get(at..).unwrap_or_default());
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

/// `'nonce-`: what precedes a nonce value in its source expression.
const NONCE_PREFIX: &str = "'nonce-";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    #[test]
    fn without_nonces_drops_each_nonce_source_and_its_separator() {
        let policy = Policy::builder()
            .default_src([Source::SELF])
            .script_src([Source::NONCE_PLACEHOLDER, Source::STRICT_DYNAMIC])
            .style_src([Source::SELF, Source::NONCE_PLACEHOLDER])
            .object_src([Source::NONE])
            .build()
            .unwrap();
        let compiled = policy.compile();
        assert_eq!(
            compiled.without_nonces(),
            "default-src 'self'; script-src 'strict-dynamic'; style-src 'self'; object-src 'none'"
        );
        let reparsed = Policy::parse(compiled.without_nonces().to_str().unwrap());
        assert!(reparsed.diagnostics.is_empty());
    }

    #[test]
    fn render_into_appends_exactly_the_rendered_length() {
        let policy = Policy::builder()
            .script_src([Source::NONCE_PLACEHOLDER])
            .style_src([Source::NONCE_PLACEHOLDER, Source::SELF])
            .build()
            .unwrap();
        let compiled = policy.compile();
        let nonce = Nonce::from_random_bytes([9; 16]);
        let mut buf = Vec::new();
        compiled.render_into(&nonce, &mut buf);
        assert_eq!(buf.len(), compiled.rendered_len());
        assert_eq!(buf, compiled.render_string(&nonce).into_bytes());
        assert_eq!(compiled.render(&nonce).as_bytes(), &buf[..]);
    }

    #[test]
    fn policy_without_nonce_renders_its_prebuilt_value() {
        let policy = Policy::builder().img_src([Source::SELF]).build().unwrap();
        let compiled = policy.compile();
        let nonce = Nonce::from_random_bytes([0; 16]);
        assert_eq!(compiled.render(&nonce), "img-src 'self'");
        assert_eq!(compiled.without_nonces(), "img-src 'self'");
    }
}
