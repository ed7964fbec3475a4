//! The `secure-headers` command-line tool.
#![forbid(unsafe_code)]

fn main() {
    eprintln!("secure-headers: no command yet");
    std::process::exit(2);
}
