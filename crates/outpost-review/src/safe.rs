//! Output-safety helpers: JSON that can sit inside a `<script>` element, URL scheme checks, and the
//! SHA-256 / base64 digests a Content-Security-Policy needs.

use sha2::{Digest, Sha256};

/// Serialises `value` as JSON that is safe inside `<script type="application/json">`.
///
/// `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` and the line separators U+2028/U+2029
/// become `\u2028`/`\u2029`. These characters can only occur inside JSON strings, where the
/// escapes mean the same thing, so the result parses to the same value while no `</script>`,
/// `<!--` or `<script` can appear in it.
pub fn script_json(value: &serde_json::Value) -> String {
    let raw = value.to_string();
    let mut out = String::with_capacity(raw.len() + raw.len() / 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The URL itself when it is an absolute `http:` or `https:` URL (case-insensitive, no control
/// characters or whitespace inside), otherwise `None`: such URLs are shown as text, never linked.
pub fn web_url(url: &str) -> Option<&str> {
    let u = url.trim();
    if u.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let lower = u.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let ok = lower.starts_with("https://") || lower.starts_with("http://");
    (ok && u.len() > lower.find("//").map_or(0, |i| i + 2)).then_some(u)
}

pub use outpost_core::text::html_escape;

/// `sha256-<base64>` of `text`, the form a CSP `script-src` / `style-src` source takes.
pub fn csp_hash(text: &str) -> String {
    format!("sha256-{}", base64(&Sha256::digest(text.as_bytes())))
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_and_round_trips() {
        let v =
            serde_json::json!({"t": "</script><script>alert(1)</script><!-- & \u{2028}", "n": 1});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&s).expect("valid JSON");
        assert_eq!(back, v);
    }

    #[test]
    fn only_http_urls_are_web_urls() {
        for ok in [
            "https://a.example/x?y=<z>",
            "HTTP://a.example",
            " http://a.example/ ",
        ] {
            assert!(web_url(ok).is_some(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//evil.example",
            "/relative",
            "https://",
            "http://a.example/\nx",
            "",
        ] {
            assert_eq!(web_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn digests_match_known_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        // FIPS 180-2 "abc".
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            csp_hash("abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert_eq!(
            html_escape("<a href=\"x\">'&"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
        );
    }
}
