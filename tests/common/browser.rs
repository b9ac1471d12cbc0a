//! Headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`),
//! with just the commands the browser tests use. The first use installs both packages with
//! apt-get when they are missing and the tests run as root; `$CHROMIUM` and
//! `$CHROMEDRIVER` name other binaries.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::send_with_timeout;

/// A Chromium session, ended (and its profile directory removed) on drop.
pub struct Browser {
    base: String,
    driver: Child,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile.
    pub fn start() -> Self {
        let (chromium, chromedriver) = binaries();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", chromedriver.display()));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = std::env::temp_dir().join(format!(
            "sigv4-presign-chromium-{}-{port}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).unwrap();
        let mut browser = Self {
            base: format!("http://127.0.0.1:{port}"),
            driver,
            profile,
        };
        // This machine has no network beyond its package registries: Chromium is told not
        // to reach out for updates, sync or components.
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-dev-shm-usage",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1000,900",
                    format!("--user-data-dir={}", browser.profile.display()),
                ],
            },
        }}});
        let session = browser.call("POST", "/session", Some(capabilities));
        let id = session["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {session}"));
        browser.base = format!("{}/session/{id}", browser.base);
        browser
    }

    /// One WebDriver command; returns its `value`, and panics with the driver's message if
    /// the command failed.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let headers = [(
            "Content-Type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        )];
        // Starting Chromium on a busy machine can take a while; chromedriver waits a minute.
        let response = send_with_timeout(
            method,
            &format!("{}{path}", self.base),
            &headers,
            body.as_bytes(),
            Duration::from_secs(120),
        );
        let value: Value = serde_json::from_slice(&response.body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}: {}", response.text()));
        let value = value["value"].clone();
        assert!(
            response.status == 200,
            "WebDriver {method} {path} failed ({}): {value}",
            response.status
        );
        value
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The element `css` selects.
    pub fn find(&self, css: &str) -> Element<'_> {
        let found = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned();
        Element { browser: self, id }
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its result.
    pub fn execute(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Polls `script` until it returns something other than `null`, for at most `limit`.
    pub fn wait_for(&self, script: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let value = self.execute(script, json!([]));
            if !value.is_null() {
                return value;
            }
            assert!(Instant::now() < deadline, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG screenshot of the page to `path`.
    pub fn screenshot(&self, path: &Path) {
        let png = self.call("GET", "/screenshot", None);
        let png = super::base64_decode(png.as_str().expect("base64 PNG"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if self.base.contains("/session/") {
            let headers = [];
            let _ = std::panic::catch_unwind(|| {
                send_with_timeout("DELETE", &self.base, &headers, b"", Duration::from_secs(30))
            });
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Chromium outlives a killed chromedriver when the session never ended (a failed
        // start, say): end whatever still runs with this profile.
        let _ = Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// An element on the page.
pub struct Element<'b> {
    browser: &'b Browser,
    id: String,
}

impl Element<'_> {
    /// Types `text`; for a file input, `text` is the path of the file to choose.
    pub fn send_keys(&self, text: &str) {
        self.browser.call(
            "POST",
            &format!("/element/{}/value", self.id),
            Some(json!({ "text": text })),
        );
    }

    pub fn click(&self) {
        self.browser.call(
            "POST",
            &format!("/element/{}/click", self.id),
            Some(json!({})),
        );
    }
}

/// Chromium and chromedriver, installed from Debian's packages if they are missing.
fn binaries() -> (PathBuf, PathBuf) {
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let driver = std::env::var_os("CHROMEDRIVER")
        .map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from);
    if !(chromium.exists() && driver.exists()) {
        install_from_debian();
    }
    assert!(
        chromium.exists() && driver.exists(),
        "the browser tests need {} and {}: `apt-get install chromium chromium-driver` \
         (or set $CHROMIUM and $CHROMEDRIVER)",
        chromium.display(),
        driver.display()
    );
    (chromium, driver)
}

/// `apt-get install chromium chromium-driver`, when running as root on a Debian-like
/// system; one test binary installs at a time.
fn install_from_debian() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
        if !root || !Path::new("/usr/bin/apt-get").exists() {
            return;
        }
        eprintln!("installing Debian's chromium and chromium-driver for the browser tests");
        for args in [
            &["update", "-qq"][..],
            &["install", "-y", "-qq", "chromium", "chromium-driver"][..],
        ] {
            let status = Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdout(Stdio::null())
                .status()
                .expect("run apt-get");
            assert!(status.success(), "apt-get {args:?} failed");
        }
    });
}
