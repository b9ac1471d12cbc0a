#!/usr/bin/env python3
"""Offline S3 Express One Zone (directory bucket) presigned URLs via botocore.

No network: the HTTP layer is patched to raise, time is frozen by patching
botocore.auth.get_current_datetime, and CreateSession (part 2) is answered by
botocore.stub.Stubber.

Part 1 calls the auth classes directly (the reference vectors).
Part 2 cross-checks them against client.generate_presigned_url().

Usage (botocore from PyPI; the credentials are made-up test values):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install botocore
    /tmp/venv/bin/python scripts/botocore-express.py tests/vectors/botocore-express.txt
The vectors file is written in this project's format; the report goes to stdout.
"""
import sys
import datetime
from urllib.parse import quote

import botocore
import botocore.auth
import botocore.httpsession
import botocore.session
from botocore.auth import S3ExpressQueryAuth, S3SigV4QueryAuth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.stub import Stubber

BUCKET = "mybucket--usw2-az1--x-s3"
KEY = "photos/a b.jpg"
REGION = "us-west-2"
EXPIRES = 300
FROZEN = datetime.datetime(2024, 5, 1, 12, 0, 0)  # naive UTC, as botocore uses

IAM = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
SESSION = Credentials(
    "ASIASESSIONEXAMPLE", "sessionsecretEXAMPLE", "sessiontokenEXAMPLE/+="
)


# --- guards / hooks ---------------------------------------------------------
def _no_network(self, request):
    raise RuntimeError(f"network call attempted: {request.method} {request.url}")


botocore.httpsession.URLLib3Session.send = _no_network
botocore.auth.get_current_datetime = lambda *a, **k: FROZEN

CAPTURED = {}
_orig_cr, _orig_sts = SigV4Auth.canonical_request, SigV4Auth.string_to_sign


def _cr(self, request):
    CAPTURED["cr"] = _orig_cr(self, request)
    CAPTURED["cls"] = type(self).__name__
    CAPTURED["service"] = self._service_name
    return CAPTURED["cr"]


def _sts(self, request, canonical_request):
    CAPTURED["sts"] = _orig_sts(self, request, canonical_request)
    return CAPTURED["sts"]


SigV4Auth.canonical_request = _cr
SigV4Auth.string_to_sign = _sts


def show(label, url):
    print(f"{label}: {url}")
    print(f"  [{label}] signer={CAPTURED['cls']} service={CAPTURED['service']}")
    print(f"  [{label}] CanonicalRequest:")
    for line in CAPTURED["cr"].split("\n"):
        print(f"    | {line}")
    print(f"  [{label}] StringToSign:")
    for line in CAPTURED["sts"].split("\n"):
        print(f"    | {line}")


# --- part 1: auth classes called directly -----------------------------------
HOST = f"{BUCKET}.s3express-usw2-az1.{REGION}.amazonaws.com"
URL = f"https://{HOST}/{quote(KEY, safe='/~')}"
print(f"botocore {botocore.__version__}; endpoint URL: {URL}")
print(f"frozen time: {FROZEN.isoformat()}Z; expires={EXPIRES}")
print()

direct = {}
cases = []
for method in ("GET", "PUT"):
    # (a) IAM credentials, plain S3 SigV4 query signer, signing name s3express
    # (what botocore uses when DisableS3ExpressSessionAuth=true).
    req = AWSRequest(method=method, url=URL)
    S3SigV4QueryAuth(IAM, "s3express", REGION, expires=EXPIRES).add_auth(req)
    direct[("iam", method)] = req.url
    cases.append(("iam", method, req.url, CAPTURED["cr"], CAPTURED["sts"]))
    show(f"IAM-{method}", req.url)
    print()

    # (b) CreateSession credentials via S3ExpressQueryAuth.
    req = AWSRequest(method=method, url=URL)
    S3ExpressQueryAuth(
        SESSION, "s3express", REGION, identity_cache=None, expires=EXPIRES
    ).add_auth(req)
    direct[("session", method)] = req.url
    cases.append(("session", method, req.url, CAPTURED["cr"], CAPTURED["sts"]))
    show(f"SESSION-{method}", req.url)
    print()


# --- part 2: cross-check against client.generate_presigned_url --------------
def client(**cfg):
    return botocore.session.Session().create_client(
        "s3",
        REGION,
        aws_access_key_id=IAM.access_key,
        aws_secret_access_key=IAM.secret_key,
        config=Config(**cfg),
    )


def presign(c, method):
    op = "get_object" if method == "GET" else "put_object"
    return c.generate_presigned_url(
        op, Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=EXPIRES
    )


print("== cross-check with client.generate_presigned_url (no network) ==")
# (a) session auth disabled, signature_version='s3v4'
c = client(signature_version="s3v4", s3={"disable_s3_express_session_auth": True})
for m in ("GET", "PUT"):
    u = presign(c, m)
    ok = u == direct[("iam", m)]
    print(f"client-IAM-{m} (disable_s3_express_session_auth, s3v4): "
          f"signer={CAPTURED['cls']} service={CAPTURED['service']} "
          f"identical_to_direct={ok}")
    if not ok:
        print(f"  {u}")

# (a') session auth disabled, NO explicit signature_version
c = client(s3={"disable_s3_express_session_auth": True})
u = presign(c, "GET")
# Expires= here is wall-clock based (SigV2 path ignores the frozen SigV4 clock),
# so print only the query parameter names to keep the output deterministic.
names = [p.split("=")[0] for p in u.split("?", 1)[1].split("&")]
print(f"client-IAM-GET (disable_s3_express_session_auth, default sigver): "
      f"query params = {names}  <- SigV2!")

# (b) default: session auth. CreateSession would be a network call; stub it.
c = client()
stub = Stubber(c)
stub.add_response(
    "create_session",
    {"Credentials": {
        "AccessKeyId": SESSION.access_key,
        "SecretAccessKey": SESSION.secret_key,
        "SessionToken": SESSION.token,
        "Expiration": datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc),
    }},
    {"Bucket": BUCKET},
)
with stub:
    for m in ("GET", "PUT"):  # one CreateSession, then cached per bucket
        u = presign(c, m)
        ok = u == direct[("session", m)]
        print(f"client-SESSION-{m} (default, CreateSession stubbed): "
              f"signer={CAPTURED['cls']} service={CAPTURED['service']} "
              f"identical_to_direct={ok}")
        if not ok:
            print(f"  {u}")
    stub.assert_no_pending_responses()
print("CreateSession calls consumed by presigning: 1 (Stubber queue empty)")

# (b') default ExpiresIn (3600) is passed through even for session creds
c2 = client()
stub2 = Stubber(c2)
stub2.add_response("create_session", {"Credentials": {
    "AccessKeyId": SESSION.access_key, "SecretAccessKey": SESSION.secret_key,
    "SessionToken": SESSION.token,
    "Expiration": datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)}},
    {"Bucket": BUCKET})
with stub2:
    u = c2.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEY})
print("client-SESSION-GET default ExpiresIn -> "
      + [p for p in u.split("&") if p.startswith("X-Amz-Expires")][0])


# --- the vectors, in this project's format ----------------------------------
if len(sys.argv) > 1:
    out = [
        f"# S3 Express One Zone presigned URLs made by botocore {botocore.__version__}, offline\n"
        "# (scripts/botocore-express.py): directory bucket " + BUCKET + ", key `" + KEY + "`,\n"
        f"# region {REGION}, signing name s3express, time 20240501T120000Z, expires {EXPIRES}.\n"
        "# `iam`: IAM credentials, S3SigV4QueryAuth (what disable_s3_express_session_auth gives);\n"
        "# `session`: CreateSession credentials, S3ExpressQueryAuth (token in X-Amz-S3session-Token).\n"
        "# Lines: credentials KEY SECRET [TOKEN], mode iam|session, method, key, creq N / sts N,\n"
        "# url (the whole presigned URL).\n\n"
    ]
    for mode, method, url, cr, sts in cases:
        creds = IAM if mode == "iam" else SESSION
        lines = [f"=== {mode}-{method.lower()}",
                 f"credentials {creds.access_key} {creds.secret_key}"
                 + (f" {creds.token}" if creds.token else ""),
                 f"mode {mode}", f"method {method}", f"key {KEY}"]
        for name, text in (("creq", cr), ("sts", sts)):
            block = text.split("\n")
            lines += [f"{name} {len(block)}"] + block
        lines.append(f"url {url}")
        out.append("\n".join(lines) + "\n\n")
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("".join(out))
