//! Uploads relayed through an application server versus presigned uploads, side by side.
//!
//! ```sh
//! cargo run --release --example relay_vs_presigned
//! cargo run --release --example relay_vs_presigned -- --clients 8 --uploads 4 --sizes 1KiB,1MiB,32MiB --workers 4
//! ```
//!
//! It starts, on 127.0.0.1, a store that checks signatures (s3s with its file-system
//! backend, as the tests run it) and an application server with a fixed pool of worker
//! threads offering both routes: `PUT /relay/KEY` streams the file on to the store with the
//! server's own credentials; `GET /presign/put/KEY` and `GET /presign/post/KEY` hand out a
//! presigned PUT or POST policy, and the client uploads straight to the store. The same
//! workload goes through each route; every upload is read back and compared. It prints a
//! Markdown table and writes `docs/relay-vs-presigned.svg` (`--svg PATH` to change).
//!
//! Against another store, over a real network (plain http; the client here speaks no TLS):
//! `S3_ENDPOINT=http://host:9000 S3_BUCKET=name AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…
//! [AWS_REGION=…]`.

#[path = "support/http_client.rs"]
mod http_client;
#[path = "support/http_head.rs"]
#[allow(dead_code)]
mod http_head;
#[path = "support/relay_bench.rs"]
mod relay_bench;
#[path = "support/s3s_store.rs"]
mod s3s_store;

use std::fmt::Write as _;
use std::time::Duration;

use relay_bench::{AppServer, Report, Route, Workload};
use sigv4_presign::s3::{Bucket, Endpoint};
use sigv4_presign::{Credentials, Presigner};

/// Credentials for the store this program starts (made for it; they open nothing else).
const KEY_ID: &str = "AKIARELAYBENCHEXAMPLE";
const SECRET: &str = "relay/bench+secret/EXAMPLEKEY0123456789ab";

struct Options {
    clients: usize,
    uploads: Vec<usize>,
    sizes: Vec<usize>,
    workers: usize,
    svg: String,
}

fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let (digits, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: usize = digits.parse().map_err(|_| format!("not a size: {text}"))?;
    let unit = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" | "k" => 1 << 10,
        "mib" | "m" => 1 << 20,
        _ => return Err(format!("unknown unit in {text}: use B, KiB or MiB")),
    };
    Ok(n * unit)
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        clients: 4,
        uploads: Vec::new(),
        sizes: vec![1 << 10, 1 << 20, 32 << 20],
        workers: 4,
        svg: "docs/relay-vs-presigned.svg".into(),
    };
    let mut uploads = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| {
            v.parse::<usize>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--clients" => o.clients = number(value()?)?.max(1),
            "--uploads" => uploads = Some(number(value()?)?.max(1)),
            "--workers" => o.workers = number(value()?)?.max(1),
            "--svg" => o.svg = value()?,
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(parse_size)
                    .collect::<Result<_, _>>()?
            }
            _ => {
                return Err(format!(
                    "unknown flag {flag} (see the example's doc comment)"
                ));
            }
        }
    }
    // By default, many small uploads and few large ones (each client: 64 up to 64 KiB, 16
    // up to 4 MiB, then 2).
    o.uploads = o
        .sizes
        .iter()
        .map(|&size| {
            uploads.unwrap_or(match size {
                s if s <= 64 << 10 => 64,
                s if s <= 4 << 20 => 16,
                _ => 2,
            })
        })
        .collect();
    Ok(o)
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("relay_vs_presigned: {message}");
            std::process::exit(2);
        }
    };
    // The store: one started here, or the one the environment names.
    let (endpoint, bucket_name, credentials, region, _local) = match std::env::var("S3_ENDPOINT") {
        Ok(endpoint) => {
            let env = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("set {name}"));
            let credentials =
                Credentials::new(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")).unwrap();
            let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
            (endpoint, env("S3_BUCKET"), credentials, region, None)
        }
        Err(_) => {
            let store = s3s_store::S3Server::start_with(KEY_ID, SECRET, None, &["bench"]);
            let credentials = Credentials::new(KEY_ID, SECRET).unwrap();
            (
                store.ip_endpoint(),
                "bench".to_owned(),
                credentials,
                "us-east-1".to_owned(),
                Some(store),
            )
        }
    };
    let presigner = Presigner::new(credentials, &region, "s3").unwrap();
    let bucket = Bucket::new(&bucket_name, &region)
        .unwrap()
        .with_endpoint(Endpoint::custom(&endpoint).unwrap());
    let app = AppServer::start(
        options.workers,
        bucket.clone(),
        &endpoint,
        presigner.clone(),
    );
    if relay_bench::thread_cpu().is_none() {
        eprintln!("note: no /proc/thread-self/schedstat here: server CPU reads as 0");
    }

    let mut reports: Vec<Report> = Vec::new();
    for (&size, &uploads) in options.sizes.iter().zip(&options.uploads) {
        let workload = Workload {
            clients: options.clients,
            uploads,
            size,
        };
        for route in Route::ALL {
            reports.push(relay_bench::run(&app, &bucket, &presigner, route, workload));
        }
    }
    println!("{}", table(&reports, &options));
    let setting = format!("{} clients, {} workers", options.clients, options.workers);
    let svg = chart(&reports, &setting);
    if let Some(dir) = std::path::Path::new(&options.svg).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    std::fs::write(&options.svg, svg).unwrap();
    println!("chart: {}", options.svg);
}

fn human_size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 10 << 20 => format!("{} MiB", b >> 20),
        b if b >= 10 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 1.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.2}")
    }
}

fn table(reports: &[Report], options: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} clients, {} application-server workers\n",
        options.clients, options.workers
    );
    out.push_str("| file | route | uploads | file bytes through the server | server in / out | server CPU per upload | uploads/s | client latency median / p99 (ms) | worker held per request median / p99 (ms) |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for r in reports {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} / {} | {} µs | {:.0} | {} / {} | {} / {} |",
            human_size(r.workload.size),
            r.route.name(),
            r.uploads(),
            human_bytes(r.file_bytes_through_server),
            human_bytes(r.bytes_in),
            human_bytes(r.bytes_out),
            r.cpu_per_upload().as_micros(),
            r.uploads_per_second(),
            ms(r.latency(0.5)),
            ms(r.latency(0.99)),
            ms(r.hold(0.5)),
            ms(r.hold(0.99)),
        );
    }
    out
}

/// What a panel plots of a report.
type Measure = fn(&Report) -> f64;

/// Two panels against file size (log scales): the median latency a client saw, and the
/// application server's CPU time per upload.
fn chart(reports: &[Report], setting: &str) -> String {
    let (width, height, panel_w, panel_h, left, top) = (960.0, 420.0, 380.0, 290.0, 80.0, 60.0);
    let colours = [
        ("relay", "#d62728"),
        ("presigned PUT", "#1f77b4"),
        ("presigned POST", "#2ca02c"),
    ];
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">Relayed versus presigned uploads: {} (cargo run --release --example relay_vs_presigned)</text>\n",
        width / 2.0,
        setting
    );
    let panels: [(&str, Measure); 2] = [
        ("client latency, median (ms)", |r| {
            r.latency(0.5).as_secs_f64() * 1e3
        }),
        ("application-server CPU per upload (ms)", |r| {
            r.cpu_per_upload().as_secs_f64() * 1e3
        }),
    ];
    let sizes: Vec<f64> = {
        let mut s: Vec<f64> = reports.iter().map(|r| r.workload.size as f64).collect();
        s.sort_by(f64::total_cmp);
        s.dedup();
        s
    };
    let (x_min, x_max) = (
        sizes[0].log10(),
        sizes[sizes.len() - 1].log10().max(sizes[0].log10() + 1.0),
    );
    for (p, (title, value)) in panels.iter().enumerate() {
        let x0 = left + p as f64 * (panel_w + 100.0);
        let values: Vec<f64> = reports.iter().map(|r| value(r).max(1e-3)).collect();
        let y_min = values
            .iter()
            .cloned()
            .fold(f64::MAX, f64::min)
            .log10()
            .floor();
        let y_max = values
            .iter()
            .cloned()
            .fold(f64::MIN, f64::max)
            .log10()
            .ceil()
            .max(y_min + 1.0);
        let x = |size: f64| x0 + (size.log10() - x_min) / (x_max - x_min) * panel_w;
        let y = |v: f64| top + panel_h - (v.max(1e-3).log10() - y_min) / (y_max - y_min) * panel_h;
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\">{title}</text>",
            x0 + panel_w / 2.0,
            top - 10.0
        );
        let _ = writeln!(
            svg,
            "<rect x=\"{x0}\" y=\"{top}\" width=\"{panel_w}\" height=\"{panel_h}\" fill=\"none\" stroke=\"#999\"/>"
        );
        for decade in (y_min as i32)..=(y_max as i32) {
            let v = 10f64.powi(decade);
            let (x1, yv, tx, ty) = (x0 + panel_w, y(v), x0 - 6.0, y(v) + 4.0);
            let label = if v >= 1.0 {
                format!("{v:.0}")
            } else {
                format!("{v}")
            };
            let _ = writeln!(
                svg,
                "<line x1=\"{x0}\" x2=\"{x1}\" y1=\"{yv:.1}\" y2=\"{yv:.1}\" stroke=\"#eee\"/><text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>"
            );
        }
        for &size in &sizes {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(size),
                top + panel_h + 18.0,
                human_size(size as usize)
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">file size</text>",
            x0 + panel_w / 2.0,
            top + panel_h + 36.0
        );
        for (name, colour) in colours {
            let points: Vec<(f64, f64)> = reports
                .iter()
                .filter(|r| r.route.name() == name)
                .map(|r| (x(r.workload.size as f64), y(value(r))))
                .collect();
            let path: Vec<String> = points
                .iter()
                .map(|(px, py)| format!("{px:.1},{py:.1}"))
                .collect();
            let _ = writeln!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                path.join(" ")
            );
            for (px, py) in points {
                let _ = writeln!(
                    svg,
                    "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3.5\" fill=\"{colour}\"/>"
                );
            }
        }
    }
    for (i, (name, colour)) in colours.iter().enumerate() {
        let lx = left + i as f64 * 170.0;
        let (lx2, ly, tx, ty) = (lx + 24.0, height - 22.0, lx + 30.0, height - 18.0);
        let _ = writeln!(
            svg,
            "<line x1=\"{lx}\" x2=\"{lx2}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"3\"/><text x=\"{tx}\" y=\"{ty}\">{name}</text>"
        );
    }
    svg.push_str("</svg>\n");
    svg
}
