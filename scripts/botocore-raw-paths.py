#!/usr/bin/env python3
"""Presigns S3 URLs whose path is already percent-encoded, as botocore signs them (over
the path exactly as written), and writes tests/vectors/botocore-raw-paths.txt: one URL a
case, which the crate's verifier must accept. The keys are test keys made for the purpose.

Usage: pip install botocore && scripts/botocore-raw-paths.py
"""
import datetime
import pathlib

import botocore
import botocore.auth as auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

T = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
auth.get_current_datetime = lambda: T
KEY, SECRET = "AKIDRAWPATHTEST", "raw/path+test/secret0123456789abcdefghij"
HOST = "bucket.s3.us-east-1.amazonaws.com"

# name, path as written, method, the key it names (decoded)
CASES = [
    ("plus", "/a+b", "GET", "a+b"),
    ("star", "/x*y", "GET", "x*y"),
    ("encoded-tilde", "/%7Euser", "GET", "~user"),
    ("encoded-slash", "/a%2fb", "PUT", "a/b"),
    ("mixed", "/dir/a+b%20c/%7e*(1).txt", "GET", "dir/a+b c/~*(1).txt"),
]

out = ["# S3 URLs presigned by botocore " + botocore.__version__ + " (S3SigV4QueryAuth) over a path\n"
       "# given already encoded, which it signs as written; made by scripts/botocore-raw-paths.py.\n"
       "# case: name method decoded-key url\n\n"]
for name, path, method, key in CASES:
    req = AWSRequest(method=method, url=f"https://{HOST}{path}")
    auth.S3SigV4QueryAuth(Credentials(KEY, SECRET), "s3", "us-east-1", expires=3600).add_auth(req)
    out.append(f"{name} {method} {key.replace(' ', '%20')} {req.url}\n")

target = pathlib.Path(__file__).resolve().parent.parent / "tests" / "vectors" / "botocore-raw-paths.txt"
target.write_text("".join(out))
print(f"wrote {len(CASES)} cases to {target}")
