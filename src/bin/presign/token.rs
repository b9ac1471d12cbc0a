//! `presign token KIND …`: an AWS auth token that is a presigned URL, on stdout.

use std::time::Duration;

use clap::{Args, Subcommand};
use sigv4_presign::tokens::{self, DsqlAction, ExecCredentialVersion};

use crate::common::Context;

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    kind: TokenKind,
}

#[derive(Debug, Subcommand)]
enum TokenKind {
    /// An RDS IAM database password (as `aws rds generate-db-auth-token`).
    Rds {
        /// The database endpoint.
        #[arg(long)]
        hostname: String,
        /// The database port.
        #[arg(long)]
        port: u16,
        /// The database user.
        #[arg(long)]
        username: String,
    },
    /// An Aurora DSQL password (as `aws dsql generate-db-connect-auth-token`).
    Dsql {
        /// The cluster endpoint.
        #[arg(long)]
        hostname: String,
        /// Seconds the token stays valid.
        #[arg(long, default_value_t = 900)]
        expires_in: u64,
        /// A token for the admin role (as `generate-db-connect-admin-auth-token`).
        #[arg(long)]
        admin: bool,
    },
    /// An EKS ExecCredential with a bearer token (as `aws eks get-token`), in the version
    /// kubectl asks for in $KUBERNETES_EXEC_INFO (v1 or v1beta1; v1beta1 otherwise).
    Eks {
        /// The cluster's name.
        #[arg(
            long,
            required_unless_present = "cluster_id",
            conflicts_with = "cluster_id"
        )]
        cluster_name: Option<String>,
        /// The cluster's id (an EKS local cluster on Outposts), instead of its name.
        #[arg(long)]
        cluster_id: Option<String>,
        /// Not offline: `aws eks get-token --role-arn` assumes the role through STS first.
        #[arg(long, value_name = "ARN")]
        role_arn: Option<String>,
    },
    /// An ElastiCache IAM password.
    Elasticache {
        /// The replication group id, or the serverless cache name.
        #[arg(long, alias = "replication-group-id")]
        cache_name: String,
        /// The ElastiCache user id.
        #[arg(long)]
        user_id: String,
        /// The cache is serverless.
        #[arg(long)]
        serverless: bool,
    },
    /// A MemoryDB IAM password.
    Memorydb {
        /// The cluster's name.
        #[arg(long)]
        cluster_name: String,
        /// The MemoryDB user id.
        #[arg(long)]
        user_id: String,
    },
    /// An MSK IAM SASL (OAUTHBEARER) token.
    Msk,
}

pub fn run(args: &TokenArgs, context: &Context) -> Result<(), String> {
    let time = context.time();
    let failed = |e: sigv4_presign::Error| e.to_string();
    let token = match &args.kind {
        TokenKind::Rds {
            hostname,
            port,
            username,
        } => {
            let region = context.region_for_host(hostname)?;
            let creds = context.credentials()?;
            tokens::rds_auth_token(&creds, &region, hostname, *port, username, time)
        }
        TokenKind::Dsql {
            hostname,
            expires_in,
            admin,
        } => {
            let region = context.region_for_host(hostname)?;
            let creds = context.credentials()?;
            let action = if *admin {
                DsqlAction::DbConnectAdmin
            } else {
                DsqlAction::DbConnect
            };
            let expires_in = Duration::from_secs(*expires_in);
            tokens::dsql_auth_token(&creds, &region, hostname, action, expires_in, time)
        }
        TokenKind::Eks {
            cluster_name,
            cluster_id,
            role_arn,
        } => {
            if role_arn.is_some() {
                return Err(
                    "--role-arn needs a call to STS (AssumeRole), which this offline \
                            tool does not make: sign with the role's credentials instead (a \
                            profile with credential_process = aws configure export-credentials \
                            --profile ROLE_PROFILE --format process)"
                        .into(),
                );
            }
            let region = context.region();
            let creds = context.credentials()?;
            let token = match (cluster_name, cluster_id) {
                (_, Some(id)) => tokens::eks_token_for_cluster_id(&creds, &region, id, time),
                (Some(name), None) => tokens::eks_token(&creds, &region, name, time),
                (None, None) => return Err("give --cluster-name or --cluster-id".into()),
            }
            .map_err(failed)?;
            println!(
                "{}",
                tokens::eks_exec_credential(&token, exec_credential_version())
            );
            return Ok(());
        }
        TokenKind::Elasticache {
            cache_name,
            user_id,
            serverless,
        } => {
            let (region, creds) = (context.region(), context.credentials()?);
            tokens::elasticache_auth_token(&creds, &region, cache_name, user_id, *serverless, time)
        }
        TokenKind::Memorydb {
            cluster_name,
            user_id,
        } => {
            let (region, creds) = (context.region(), context.credentials()?);
            tokens::memorydb_auth_token(&creds, &region, cluster_name, user_id, time)
        }
        TokenKind::Msk => {
            let (region, creds) = (context.region(), context.credentials()?);
            tokens::msk_auth_token(&creds, &region, time)
        }
    };
    println!("{}", token.map_err(failed)?.as_str());
    Ok(())
}

/// The version kubectl asks for in `KUBERNETES_EXEC_INFO`, v1beta1 when it asks for none
/// (as `aws eks get-token`, which also notes an unknown one on stderr).
fn exec_credential_version() -> ExecCredentialVersion {
    let Ok(info) = std::env::var("KUBERNETES_EXEC_INFO") else {
        return ExecCredentialVersion::V1Beta1;
    };
    if info.trim().is_empty() {
        return ExecCredentialVersion::V1Beta1;
    }
    ExecCredentialVersion::from_exec_info(&info).unwrap_or_else(|| {
        eprintln!(
            "presign: KUBERNETES_EXEC_INFO asks for no version this tool knows (v1, v1beta1): \
             answering with client.authentication.k8s.io/v1beta1"
        );
        ExecCredentialVersion::V1Beta1
    })
}
