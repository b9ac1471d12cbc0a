//! An S3 server that checks SigV4 presigned URLs, in this process on 127.0.0.1: s3s with
//! its file-system backend (dev-dependencies), on a Tokio runtime of its own. The tests and
//! the `relay_vs_presigned` example run it.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// An s3s-fs server on 127.0.0.1, stopped and its directory removed on drop.
pub struct S3Server {
    pub addr: SocketAddr,
    pub root: PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl S3Server {
    /// Starts a server that accepts requests signed with `access_key` and `secret_key`.
    /// With `domain`, virtual-hosted requests for `BUCKET.DOMAIN:PORT` are understood (and
    /// then only `DOMAIN:PORT` is path-style); without, every request is path-style.
    pub fn start_with(
        access_key: &str,
        secret_key: &str,
        virtual_host_domain: Option<&str>,
        buckets: &[&str],
    ) -> Self {
        let (access_key, secret_key) = (access_key.to_owned(), secret_key.to_owned());
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let root = std::env::temp_dir().join(format!(
            "sigv4-presign-s3s-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        for bucket in buckets {
            std::fs::create_dir_all(root.join(bucket)).unwrap();
        }
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let fs_root = root.clone();
        let domain = virtual_host_domain.map(|d| format!("{d}:{}", addr.port()));
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                use hyper_util::rt::{TokioExecutor, TokioIo};
                use hyper_util::server::conn::auto::Builder as ConnBuilder;
                use s3s::auth::SimpleAuth;
                use s3s::service::S3ServiceBuilder;

                let fs = s3s_fs::FileSystem::new(&fs_root).unwrap();
                let mut builder = S3ServiceBuilder::new(fs);
                builder.set_auth(SimpleAuth::from_single(access_key, secret_key));
                if let Some(domain) = &domain {
                    builder.set_host(s3s::host::SingleDomain::new(domain).unwrap());
                }
                let service = builder.build();
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                let http = ConnBuilder::new(TokioExecutor::new());
                loop {
                    tokio::select! {
                        accepted = listener.accept() => {
                            let Ok((socket, _)) = accepted else { continue };
                            let conn = http.serve_connection(TokioIo::new(socket), service.clone()).into_owned();
                            tokio::spawn(async move { let _ = conn.await; });
                        }
                        _ = &mut rx => break,
                    }
                }
            });
        });
        Self {
            addr,
            root,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn ip_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr.port())
    }

    /// `http://localhost:PORT`
    pub fn localhost_endpoint(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
