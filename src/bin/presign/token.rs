//! `presign token KIND …`: an AWS auth token that is a presigned URL, on stdout.

use std::time::Duration;

use clap::{Args, Subcommand};
use sigv4_presign::tokens::{self, DsqlAction};

use crate::common::{Scope, credentials_from_env};

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
    /// An EKS ExecCredential with a bearer token (as `aws eks get-token`).
    Eks {
        /// The cluster's name.
        #[arg(long)]
        cluster_name: String,
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

pub fn run(args: &TokenArgs, scope: &Scope) -> Result<(), String> {
    let credentials = credentials_from_env()?;
    let region = scope.region();
    let time = scope.time();
    let creds = &credentials;
    let token = match &args.kind {
        TokenKind::Rds {
            hostname,
            port,
            username,
        } => tokens::rds_auth_token(creds, &region, hostname, *port, username, time),
        TokenKind::Dsql {
            hostname,
            expires_in,
            admin,
        } => {
            let action = if *admin {
                DsqlAction::DbConnectAdmin
            } else {
                DsqlAction::DbConnect
            };
            let expires_in = Duration::from_secs(*expires_in);
            tokens::dsql_auth_token(creds, &region, hostname, action, expires_in, time)
        }
        TokenKind::Eks { cluster_name } => {
            let token =
                tokens::eks_token(creds, &region, cluster_name, time).map_err(|e| e.to_string())?;
            println!("{}", tokens::eks_exec_credential(&token));
            return Ok(());
        }
        TokenKind::Elasticache {
            cache_name,
            user_id,
            serverless,
        } => tokens::elasticache_auth_token(creds, &region, cache_name, user_id, *serverless, time),
        TokenKind::Memorydb {
            cluster_name,
            user_id,
        } => tokens::memorydb_auth_token(creds, &region, cluster_name, user_id, time),
        TokenKind::Msk => tokens::msk_auth_token(creds, &region, time),
    };
    println!("{}", token.map_err(|e| e.to_string())?.as_str());
    Ok(())
}
