#!/usr/bin/env python3
"""Generate SigV4a (AWS4-ECDSA-P256-SHA256) presigned-URL cross-check vectors
with AWS's own Common Runtime signer (the `awscrt` PyPI package).

Usage:
    python3 -m venv venv && venv/bin/pip install awscrt cryptography
    venv/bin/python scripts/awscrt-v4a-vectors.py tests/vectors/awscrt-v4a.txt

For every case the script
  * signs an `awscrt.http.HttpRequest` with `awscrt.auth.aws_sign_request`
    (V4_ASYMMETRIC, HTTP_REQUEST_QUERY_PARAMS, fixed date) and records the
    signed path+query exactly as awscrt returned it;
  * captures awscrt's canonical request and string-to-sign from its own
    trace log (awscrt has no API returning them);
  * checks SHA-256(canonical request) == last line of the string-to-sign;
  * verifies X-Amz-Signature (DER ECDSA over SHA-256 of the string-to-sign)
    with the `cryptography` package against the P-256 public key.

awscrt does not expose the ECC key it derives from the credentials, so the
public key is obtained twice, independently:
  1. by our own implementation of the SigV4a key derivation
     (NIST SP 800-108 HMAC-SHA256 counter-mode KDF, as AWS documents it);
  2. by ECDSA public-key recovery from awscrt's own signatures (each
     signature admits two candidate keys; intersecting over all cases leaves
     the one key awscrt actually used).
Both must agree, and must match the known X for AKIDEXAMPLE.

NOTE: awscrt's ECDSA uses random nonces, so X-Amz-Signature (and therefore
the signed-target line) changes on every run. Everything before
X-Amz-Signature, the canonical request and the string-to-sign are stable.
"""

import datetime
import hashlib
import hmac
import json
import os
import subprocess
import sys
from importlib.metadata import version
from urllib.parse import parse_qsl, urlsplit

from awscrt import auth, http, io
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "sessiontoken/EXAMPLE+="
SIGNING_TIME = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
EXPECTED_X = "b6618f6a65740a99e650b33b6b4b5bd0d43b176d721a3edfea7e7d2d56d936b1"
AWSCRT_VERSION = version("awscrt")
MRAP_URL = "https://mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com/photos/a%20b.jpg"

# Each case: inputs for the signer plus a human description.
#   settings "s3":          UNSIGNED-PAYLOAD, no double URI encode, no path normalisation
#   settings "aws-service": SHA-256("") body, double URI encode, path normalisation
CASES = [
    dict(name="s3-mrap-get-star", method="GET", url=MRAP_URL, region_set="*",
         service="s3", expires=3600, token=None, extra_headers=[], settings="s3",
         comment="S3 multi-region access point GET, region set '*'"),
    dict(name="s3-mrap-put-two-regions", method="PUT", url=MRAP_URL,
         region_set="us-east-1,us-west-2", service="s3", expires=3600, token=None,
         extra_headers=[("content-type", "image/png")], settings="s3",
         comment="S3 MRAP PUT, two-region set, extra signed header content-type"),
    dict(name="s3-mrap-get-session-token", method="GET", url=MRAP_URL, region_set="*",
         service="s3", expires=3600, token=TOKEN, extra_headers=[], settings="s3",
         comment="S3 MRAP GET with a session token (X-Amz-Security-Token is signed)"),
    dict(name="generic-service-get-query", method="GET",
         url="https://example.amazonaws.com/?Param2=value2&Param1=value1",
         region_set="us-east-1", service="service", expires=3600, token=None,
         extra_headers=[], settings="aws-service",
         comment="generic service GET with pre-existing query parameters"),
]

# ---------------------------------------------------------------------------
# P-256 arithmetic (only what public-key recovery needs; affine coordinates).
# ---------------------------------------------------------------------------
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
A = P - 3
B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
G = (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
     0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5)


def pt_add(p1, p2):
    """Add two points (None is the point at infinity)."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return x3, (lam * (x1 - x3) - y1) % P


def pt_mul(k, pt):
    """Scalar multiplication by double-and-add."""
    acc = None
    while k:
        if k & 1:
            acc = pt_add(acc, pt)
        pt = pt_add(pt, pt)
        k >>= 1
    return acc


def recover_public_keys(der_sig, message):
    """Return the set of public keys (x, y) for which der_sig is a valid
    ECDSA-P256-SHA256 signature of message (Q = r^-1 (sR - zG))."""
    r, s = decode_dss_signature(der_sig)
    z = int.from_bytes(hashlib.sha256(message).digest(), "big")
    keys = set()
    x = r  # r + N would exceed P for P-256 in all but negligible cases
    y_sq = (x ** 3 + A * x + B) % P
    y = pow(y_sq, (P + 1) // 4, P)  # P = 3 (mod 4)
    if y * y % P != y_sq:
        return keys
    r_inv = pow(r, -1, N)
    for yy in (y, P - y):
        q = pt_mul(r_inv, pt_add(pt_mul(s, (x, yy)), pt_mul((N - z) % N, G)))
        if q is not None:
            keys.add(q)
    return keys


# ---------------------------------------------------------------------------
# SigV4a key derivation, written from AWS's description of the algorithm:
#   key     = "AWS4A" || secret
#   input   = be32(1) || "AWS4-ECDSA-P256-SHA256" || 0x00 || akid || counter || be32(256)
#   c       = HMAC-SHA256(key, input) as big-endian integer
#   retry with counter+1 (1..254) while c > N-2; private key d = c + 1
# ---------------------------------------------------------------------------
def derive_sigv4a_private_key(akid, secret):
    key = b"AWS4A" + secret.encode()
    for counter in range(1, 255):
        fixed_input = (b"\x00\x00\x00\x01" + b"AWS4-ECDSA-P256-SHA256" + b"\x00"
                       + akid.encode() + bytes([counter]) + b"\x00\x00\x01\x00")
        c = int.from_bytes(hmac.new(key, fixed_input, hashlib.sha256).digest(), "big")
        if c <= N - 2:
            return ec.derive_private_key(c + 1, ec.SECP256R1())
    raise RuntimeError("key derivation exhausted its counter")


# ---------------------------------------------------------------------------
# awscrt trace-log capture.
# awscrt logs "... built canonical request ... with contents \n<CREQ>\n",
# "... built string-to-sign ... with contents \n<STS>\n" and "... built final
# authorization value ... with contents \n<SIG>\n", each tagged with the
# signing operation's id. awscrt's file logger only flushes at process exit,
# so each case is signed in a child process (this script with --sign-case)
# that logs to stderr; the parent parses the child's stderr.
# ---------------------------------------------------------------------------
LOG_MARKERS = {
    "creq": "Signing successfully built canonical request",
    "sts": "Signing successfully built string-to-sign",
    "sig": "successfully built final authorization value",
}


def parse_log(text):
    """Group the logged contents by signing-operation id:
    {id: {"creq": str, "sts": str, "sig": str}}."""
    ops = {}
    entries, current = [], None
    for line in text.split("\n"):
        if line.startswith("[") and "] [" in line:  # start of a new log entry
            current = [line]
            entries.append(current)
        elif current is not None:
            current.append(line)
    for entry in entries:
        head = entry[0]
        for kind, marker in LOG_MARKERS.items():
            if marker in head and "(id=" in head:
                op_id = head.split("(id=", 1)[1].split(")", 1)[0]
                # The message is "...contents \n<BODY>\n" and the logger adds
                # its own "\n"; BODY never ends in a newline (the creq-hash
                # check in main() confirms this), so trailing empties go.
                body = entry[1:]
                while body and body[-1] == "":
                    body.pop()
                ops.setdefault(op_id, {})[kind] = "\n".join(body)
    return ops


def sign_in_child(case):
    """Sign `case` in a child process; return (headers, signed_target, creq, sts)."""
    child = subprocess.run([sys.executable, os.path.abspath(__file__), "--sign-case", case["name"]],
                           capture_output=True, text=True, check=True, timeout=60)
    result = json.loads(child.stdout)
    sig_hex = dict(parse_qsl(urlsplit(result["signed_target"]).query))["X-Amz-Signature"]
    for op in parse_log(child.stderr).values():
        if op.get("sig") == sig_hex and "creq" in op and "sts" in op:
            return result["headers"], result["signed_target"], op["creq"], op["sts"]
    sys.exit(f"{case['name']}: awscrt trace log lacks the canonical request / string-to-sign")


# ---------------------------------------------------------------------------
# Signing with awscrt.
# ---------------------------------------------------------------------------
def sign_case(case):
    """Sign one case; return (headers, signed_target)."""
    parts = urlsplit(case["url"])
    target = parts.path + ("?" + parts.query if parts.query else "")
    headers = [("host", parts.netloc)] + case["extra_headers"]

    creds = auth.AwsCredentialsProvider.new_static(AKID, SECRET, case["token"])
    s3 = case["settings"] == "s3"
    config = auth.AwsSigningConfig(
        algorithm=auth.AwsSigningAlgorithm.V4_ASYMMETRIC,
        signature_type=auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS,
        credentials_provider=creds,
        region=case["region_set"],  # for V4_ASYMMETRIC this is the region set
        service=case["service"],
        date=SIGNING_TIME,
        use_double_uri_encode=not s3,
        should_normalize_uri_path=not s3,
        signed_body_value=(auth.AwsSignedBodyValue.UNSIGNED_PAYLOAD if s3
                           else auth.AwsSignedBodyValue.EMPTY_SHA256),
        expiration_in_seconds=case["expires"],
    )
    request = http.HttpRequest(case["method"], target, http.HttpHeaders(headers))
    signed = auth.aws_sign_request(request, config).result(timeout=10)
    # Query-param signing must not add or change headers.
    assert list(signed.headers) == headers, list(signed.headers)
    return headers, signed.path


def format_block(case, headers, signed_target, creq, sts):
    lines = [f"=== {case['name']}",
             f"# {case['comment']}",
             f"# method {case['method']}, service {case['service']}, "
             f"region set {case['region_set']}, expires {case['expires']}s"]
    if case["settings"] == "s3":
        lines.append("# s3 settings: signed body UNSIGNED-PAYLOAD, "
                     "no double URI encode, no path normalisation")
    else:
        lines.append("# aws-service settings: signed body SHA-256(''), "
                     "double URI encode, path normalisation")
    lines.append("# headers below are exactly those handed to awscrt (all signed)")
    lines.append("# X-Amz-Signature is randomised ECDSA: verify it, don't compare it")
    cred = f"credentials {AKID} {SECRET}" + (f" {case['token']}" if case["token"] else "")
    lines += [cred,
              f"region-set {case['region_set']}",
              f"service {case['service']}",
              f"time {SIGNING_TIME.strftime('%Y%m%dT%H%M%SZ')}",
              f"expires {case['expires']}",
              f"request {case['method']} {case['url']}"]
    lines += [f"header {k}: {v}" for k, v in headers]
    lines += [f"settings {case['settings']}", f"signed-target {signed_target}"]
    for tag, text in (("creq", creq), ("sts", sts)):
        body = text.split("\n")
        lines.append(f"{tag} {len(body)}")
        lines += body
    return "\n".join(lines) + "\n"


def child_main(name):
    """--sign-case NAME: sign one case with trace logging on stderr and print
    {"headers": [...], "signed_target": "..."} as JSON on stdout."""
    io.init_logging(io.LogLevel.Trace, "stderr")
    case = next(c for c in CASES if c["name"] == name)
    headers, signed_target = sign_case(case)
    print(json.dumps({"headers": headers, "signed_target": signed_target}))


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else "v4a-crt.txt"

    # Public key from our own derivation.
    derived = derive_sigv4a_private_key(AKID, SECRET).public_key()
    dn = derived.public_numbers()
    print(f"awscrt version: {AWSCRT_VERSION}")
    print(f"derived public key X = {dn.x:064x}")
    print(f"derived public key Y = {dn.y:064x}")
    print(f"X matches expected AKIDEXAMPLE value: {f'{dn.x:064x}' == EXPECTED_X}")
    ok = f"{dn.x:064x}" == EXPECTED_X

    blocks, candidates = [], None
    for case in CASES:
        headers, signed_target, creq, sts = sign_in_child(case)
        sig = bytes.fromhex(dict(parse_qsl(urlsplit(signed_target).query))["X-Amz-Signature"])

        # The string-to-sign's last line is the hex SHA-256 of the canonical request.
        hash_ok = sts.split("\n")[-1] == hashlib.sha256(creq.encode()).hexdigest()
        # Verify the signature against the derived public key.
        try:
            derived.verify(sig, sts.encode(), ec.ECDSA(hashes.SHA256()))
            sig_ok = True
        except InvalidSignature:
            sig_ok = False
        # Keys that could have produced this signature (independent of our KDF).
        keys = recover_public_keys(sig, sts.encode())
        candidates = keys if candidates is None else candidates & keys

        ok &= hash_ok and sig_ok
        print(f"{case['name']}: creq-hash {'ok' if hash_ok else 'MISMATCH'}, "
              f"signature {'verifies' if sig_ok else 'FAILS'}")
        blocks.append(format_block(case, headers, signed_target, creq, sts))

    recovered_ok = candidates == {(dn.x, dn.y)}
    print(f"public key recovered from awscrt's signatures equals derived key: {recovered_ok}")
    ok &= recovered_ok

    header = (f"# SigV4a (AWS4-ECDSA-P256-SHA256) presigned-URL vectors produced by awscrt {AWSCRT_VERSION}\n"
              "# generated by scripts/awscrt-v4a-vectors.py\n"
              f"# public key for {AKID}: X {dn.x:064x}\n"
              f"#                        Y {dn.y:064x}\n\n")
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(header + "\n".join(blocks))
    print(f"wrote {out_path}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--sign-case":
        child_main(sys.argv[2])
    else:
        main()
