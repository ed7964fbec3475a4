#!/usr/bin/env node
// Runs Google's CSP Evaluator (npm package `csp_evaluator`, version pinned in package.json) on
// one Content-Security-Policy value per line of standard input and prints one JSON object per
// line, in order:
//
//   {"findings": [{"type": "SCRIPT_UNSAFE_INLINE", "directive": "script-src",
//                  "value": "'unsafe-inline'", "severity": "HIGH"}, ...],
//    "errors": [{"check": "checkIpSource", "message": "..."}]}
//
// Usage: node evaluate.js [--strict] [--csp-version 1|2|3]
//
// The check set is the one `secure-headers csp check` runs, so that both sides answer the same
// question:
// - the `IGNORED` findings of `Csp.getEffectiveCsp(version)` (what `CspEvaluator.evaluate()`
//   reports too);
// - `DEFAULT_CHECKS` on the effective policy (exactly `new CspEvaluator(csp, version).evaluate()`);
// - `securityChecks.checkHasConfiguredReporting` on the effective policy (not in
//   `DEFAULT_CHECKS`; CSP Evaluator's Lighthouse integration runs it);
// - with `--strict`, `STRICTCSP_CHECKS` on the policy as written (the evaluator's
//   `parsedCspChecks` argument), as the csp-evaluator.withgoogle.com page does;
//   without `--strict`, only `checkStrictDynamicNotStandalone` from that set (our CLI always
//   reports 'strict-dynamic' without a nonce or hash, since it blocks every script).
//
// The CSP version defaults to 3 (`Version.CSP3`), like the CLI's `--csp-version`.
//
// Each check runs on its own and a check that throws (the evaluator parses some sources with
// `new URL`, which throws on odd input) is reported under "errors" instead of ending the run.
'use strict';

const {CspParser} = require('csp_evaluator/dist/parser.js');
const {DEFAULT_CHECKS, STRICTCSP_CHECKS} = require('csp_evaluator/dist/evaluator.js');
const {Version} = require('csp_evaluator/dist/csp.js');
const {Type, Severity} = require('csp_evaluator/dist/finding.js');
const securityChecks = require('csp_evaluator/dist/checks/security_checks.js');
const strictcspChecks = require('csp_evaluator/dist/checks/strictcsp_checks.js');

function parseArgs(argv) {
  const options = {strict: false, version: Version.CSP3};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--strict') {
      options.strict = true;
    } else if (arg === '--csp-version') {
      const n = Number(argv[++i]);
      if (![1, 2, 3].includes(n)) {
        throw new Error('--csp-version must be 1, 2 or 3');
      }
      options.version = n; // Version.CSP1 = 1, CSP2 = 2, CSP3 = 3
    } else {
      throw new Error(`unknown argument ${arg}`);
    }
  }
  return options;
}

function plain(finding) {
  const out = {
    type: Type[finding.type],
    directive: finding.directive,
    severity: Severity[finding.severity],
  };
  if (finding.value !== undefined) {
    out.value = finding.value;
  }
  return out;
}

function evaluateLine(line, options) {
  const written = new CspParser(line).csp;
  const findings = [];
  const errors = [];
  // Csp.getEffectiveCsp pushes its IGNORED findings into the list it is given.
  const effective = written.getEffectiveCsp(options.version, findings);
  const run = (check, policy) => {
    try {
      findings.push(...check(policy));
    } catch (e) {
      errors.push({check: check.name, message: String(e && e.message || e)});
    }
  };
  for (const check of DEFAULT_CHECKS) {
    run(check, effective);
  }
  run(securityChecks.checkHasConfiguredReporting, effective);
  if (options.strict) {
    for (const check of STRICTCSP_CHECKS) {
      run(check, written);
    }
  } else {
    run(strictcspChecks.checkStrictDynamicNotStandalone, written);
  }
  return {findings: findings.map(plain), errors};
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`evaluate.js: ${e.message}\n`);
    process.exit(2);
  }
  // Lines end at LF only, and one CR before it is dropped, as `csp check --jsonl` reads them.
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') {
      lines.pop();
    }
    const out = lines.map((line) => {
      const value = line.endsWith('\r') ? line.slice(0, -1) : line;
      return JSON.stringify(evaluateLine(value, options)) + '\n';
    });
    process.stdout.write(out.join(''));
  });
}

main();
