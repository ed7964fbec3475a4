//! Prints the JSON report and the fixed headers for a sample response.
fn main() {
    let mut h = http::HeaderMap::new();
    h.insert("content-security-policy", "default-src 'self' http://*.cnn.com:* *.cnn.net:*; script-src 'unsafe-inline' 'unsafe-eval' 'self' *; object-src 'self' *; img-src 'self' * data:".parse().unwrap());
    h.append("set-cookie", "sessionid=abc; Path=/".parse().unwrap());
    let ctx = header_audit::Context::https("https://www.example.com/");
    let report = header_audit::audit(&h, &ctx);
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    let fixed = report.fixed_headers();
    for (k, v) in &fixed.headers {
        println!("{k}: {}", v.to_str().unwrap_or(""));
    }
    for n in &fixed.needs_decision {
        println!("decide: {n}");
    }
    println!(
        "fixed grade: {}",
        header_audit::audit(&fixed.headers, &ctx).grade
    );
}
