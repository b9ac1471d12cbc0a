#!/usr/bin/env python3
"""CloudFront signed-URL and signed-cookie test vectors, made with AWS's own tools.

Usage:
    venv/bin/python scripts/cloudfront-vectors.py KEYDIR OUTFILE
    venv/bin/python scripts/cloudfront-vectors.py KEYDIR --verify-ours FILE

The venv needs `awscli` (v1, from PyPI) and `cryptography`. awscli v1 carries its
own copy of botocore (awscli/botocore); importing `awscli` first makes `import
botocore` resolve to that copy, so the CLI and this script use the same signer.

Generating (KEYDIR OUTFILE):
  * KEYDIR holds the test keys (never real ones). They are generated only when
    KEYDIR has none of them; otherwise they are read, so RSA vectors (PKCS#1 v1.5
    is deterministic) come out byte-identical on every run.
  * Every case is signed with botocore's CloudFrontSigner (signing callback from
    `cryptography`). Where `aws cloudfront sign` can express the same inputs
    (RSA, SHA-1, signed resource == URL) the CLI is run too and its output must be
    byte-identical. All signatures are also verified against the public keys.
  * SHA-256: botocore has no hash option, so its result gets `&Hash-Algorithm=SHA256`
    appended after Key-Pair-Id, the position shown in CloudFront's documentation.
  * ECDSA P-256: DER signatures with an RFC 6979 (deterministic) nonce, so reruns
    give the same file; the crate should still treat them as verify-only.
  * Cookies carry the same values as the URL parameters (CloudFront-Expires or
    CloudFront-Policy, CloudFront-Signature, CloudFront-Key-Pair-Id and, for
    SHA-256, CloudFront-Hash-Algorithm=SHA256).

Verifying (--verify-ours FILE): FILE uses the OUTFILE block format. Every block
with `key ec` has each `signed-url` line and its `cookie` lines checked against
KEYDIR/ec-public.pem. Prints OK/FAIL per item; exits 1 on any failure or when
nothing was checked.
"""

import argparse
import base64
import datetime
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import List, Optional

import awscli  # must come first: aliases `botocore` to awscli's vendored copy
import botocore
import cryptography
from botocore.signers import CloudFrontSigner
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

KEY_PAIR_ID = "K2JCJMDEHXQW5F"
HASHES = {"SHA1": hashes.SHA1, "SHA256": hashes.SHA256}
SIGNING_PARAMS = ("Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm")

DATE_LESS_THAN = 1767225600  # 2026-01-01T00:00:00Z
DATE_GREATER_THAN = 1764547200  # 2025-12-01T00:00:00Z

HOST = "https://d111111abcdef8.cloudfront.net"
URL = HOST + "/images/photo%201.jpg"  # "photo 1.jpg", percent-encoded as awscli needs
URL_QUERY = URL + "?size=large"
WILDCARD = HOST + "/images/*"
# One double quote, one backslash, one non-ASCII letter, and a wildcard.
ODD_RESOURCE = HOST + '/a"b\\c/\u00e9.txt*'
ODD_URL = HOST + "/a%22b%5Cc/%C3%A9.txt"

# File name -> (PEM header it must start with, what it is).
KEY_FILES = {
    "rsa-pkcs1.pem": ("-----BEGIN RSA PRIVATE KEY-----", "RSA-2048, PKCS#1"),
    "rsa-pkcs8.pem": ("-----BEGIN PRIVATE KEY-----", "same RSA key, PKCS#8"),
    "rsa-public.pem": ("-----BEGIN PUBLIC KEY-----", "RSA public key, SPKI"),
    "ec-sec1.pem": ("-----BEGIN EC PRIVATE KEY-----", "P-256, SEC1"),
    "ec-pkcs8.pem": ("-----BEGIN PRIVATE KEY-----", "same P-256 key, PKCS#8"),
    "ec-public.pem": ("-----BEGIN PUBLIC KEY-----", "P-256 public key, SPKI"),
}


# --------------------------------------------------------------------------- keys


@dataclass
class Keys:
    dir: str
    rsa: rsa.RSAPrivateKey
    rsa_public: rsa.RSAPublicKey
    ec: ec.EllipticCurvePrivateKey
    ec_public: ec.EllipticCurvePublicKey

    def path(self, name):
        return os.path.abspath(os.path.join(self.dir, name))


def write_new_keys(keydir):
    """Generate the test keys once (never called when any key file exists)."""
    os.makedirs(keydir, exist_ok=True)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    none = serialization.NoEncryption()
    pem = serialization.Encoding.PEM
    legacy = serialization.PrivateFormat.TraditionalOpenSSL  # PKCS#1 / SEC1
    pkcs8 = serialization.PrivateFormat.PKCS8
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    blobs = {
        "rsa-pkcs1.pem": rsa_key.private_bytes(pem, legacy, none),
        "rsa-pkcs8.pem": rsa_key.private_bytes(pem, pkcs8, none),
        "rsa-public.pem": rsa_key.public_key().public_bytes(pem, spki),
        "ec-sec1.pem": ec_key.private_bytes(pem, legacy, none),
        "ec-pkcs8.pem": ec_key.private_bytes(pem, pkcs8, none),
        "ec-public.pem": ec_key.public_key().public_bytes(pem, spki),
    }
    for name, blob in blobs.items():
        with open(os.path.join(keydir, name), "wb") as f:
            f.write(blob)
    print(f"generated new test keys in {keydir}", file=sys.stderr)


def read_keys(keydir, create):
    present = [n for n in KEY_FILES if os.path.exists(os.path.join(keydir, n))]
    if not present:
        if not create:
            sys.exit(f"no keys in {keydir}")
        write_new_keys(keydir)
    elif len(present) != len(KEY_FILES):
        sys.exit(f"{keydir} has only some of the keys ({', '.join(present)}); refusing to mix")

    pems = {}
    for name, (header, _) in KEY_FILES.items():
        with open(os.path.join(keydir, name), "rb") as f:
            pems[name] = f.read()
        if not pems[name].startswith(header.encode()):
            sys.exit(f"{name} does not start with {header}")

    def private(name):
        return serialization.load_pem_private_key(pems[name], password=None)

    rsa_key, ec_key = private("rsa-pkcs1.pem"), private("ec-sec1.pem")
    # The PKCS#8 files and the public keys must be the same key pairs.
    assert private("rsa-pkcs8.pem").private_numbers() == rsa_key.private_numbers()
    assert private("ec-pkcs8.pem").private_numbers() == ec_key.private_numbers()
    rsa_pub = serialization.load_pem_public_key(pems["rsa-public.pem"])
    ec_pub = serialization.load_pem_public_key(pems["ec-public.pem"])
    assert rsa_pub.public_numbers() == rsa_key.public_key().public_numbers()
    assert ec_pub.public_numbers() == ec_key.public_key().public_numbers()
    assert rsa_key.key_size == 2048 and isinstance(ec_key.curve, ec.SECP256R1)
    return Keys(keydir, rsa_key, rsa_pub, ec_key, ec_pub)


# ------------------------------------------------------------------ CloudFront bits


def cf_b64decode(text):
    """CloudFront's base64: '+' '=' '/' are written as '-' '_' '~'."""
    std = text.translate(str.maketrans("-_~", "+=/"))
    return base64.b64decode(std, validate=True)


def utc(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)


def signing_callback(key, hash_name):
    """The `rsa_signer` botocore's CloudFrontSigner calls with the policy bytes."""
    if isinstance(key, rsa.RSAPrivateKey):
        return lambda msg: key.sign(msg, padding.PKCS1v15(), HASHES[hash_name]())
    algo = ec.ECDSA(HASHES[hash_name](), deterministic_signing=True)
    return lambda msg: key.sign(msg, algo)  # DER-encoded (r, s)


def verify(public_key, signature, message, hash_name):
    """Raises InvalidSignature (or ValueError for a malformed one) on failure."""
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, message, padding.PKCS1v15(), HASHES[hash_name]())
    else:
        try:
            decode_dss_signature(signature)  # CloudFront wants DER, not raw r||s
        except ValueError:
            raise ValueError(f"signature is not DER-encoded ({len(signature)} bytes)")
        public_key.verify(signature, message, ec.ECDSA(HASHES[hash_name]()))


def canned_policy(resource, expires):
    """The statement a canned policy signs, exactly as botocore builds it."""
    return CloudFrontSigner(KEY_PAIR_ID, None).build_policy(resource, utc(expires))


def message_and_hash(resource, params):
    """From the signing values (URL params or cookies, names without the
    'CloudFront-' prefix) work out the signed bytes and the hash."""
    hash_name = params.get("Hash-Algorithm", "SHA1")
    if hash_name not in HASHES:
        raise ValueError(f"unknown Hash-Algorithm {hash_name!r}")
    for needed in ("Signature", "Key-Pair-Id"):
        if needed not in params:
            raise ValueError(f"no {needed}")
    if ("Expires" in params) == ("Policy" in params):
        raise ValueError("need exactly one of Expires and Policy")
    if "Policy" in params:
        message = cf_b64decode(params["Policy"])
        json.loads(message)  # must at least be JSON
    else:
        message = canned_policy(resource, int(params["Expires"])).encode()
    return message, hash_name, cf_b64decode(params["Signature"])


def split_signed_url(signed_url):
    """-> (URL without the CloudFront params, dict of those params)."""
    base, sep, query = signed_url.partition("?")
    kept, params = [], {}
    for part in query.split("&") if sep else []:
        name, _, value = part.partition("=")
        if name in SIGNING_PARAMS:
            if name in params:
                raise ValueError(f"{name} given twice")
            params[name] = value
        else:
            kept.append(part)
    return base + ("?" + "&".join(kept) if kept else ""), params


def cookies_from_url(signed_url, url):
    """The signed-cookie values: the same strings as the URL's parameters."""
    assert signed_url.startswith(url) and signed_url[len(url)] in "?&"
    params = dict(p.split("=", 1) for p in signed_url[len(url) + 1:].split("&"))
    names = ["Policy" if "Policy" in params else "Expires", "Signature", "Key-Pair-Id"]
    if "Hash-Algorithm" in params:
        names.append("Hash-Algorithm")
    return [(f"CloudFront-{n}", params[n]) for n in names]


# ------------------------------------------------------------------------- cases


@dataclass
class Case:
    name: str
    key: str  # "rsa" or "ec"
    hash: str  # "SHA1" or "SHA256"
    url: str
    resource: Optional[str] = None  # policy Resource when it is not the URL
    date_greater_than: Optional[int] = None
    ip: Optional[str] = None
    notes: List[str] = field(default_factory=list)
    date_less_than: int = DATE_LESS_THAN

    @property
    def custom(self):
        return (self.resource is not None or self.date_greater_than is not None
                or self.ip is not None)


def cases():
    out = []
    for hash_name in ("SHA1", "SHA256"):
        h = hash_name.lower()
        out += [
            Case(f"rsa-{h}-canned-query", "rsa", hash_name, URL_QUERY),
            Case(f"rsa-{h}-canned", "rsa", hash_name, URL),
            Case(f"rsa-{h}-custom-dgt-ip", "rsa", hash_name, URL_QUERY,
                 date_greater_than=DATE_GREATER_THAN, ip="192.0.2.0/24"),
            Case(f"rsa-{h}-custom-wildcard", "rsa", hash_name, URL_QUERY, resource=WILDCARD,
                 notes=["custom only because the policy resource differs from the url"]),
            Case(f"rsa-{h}-custom-ip-noslash", "rsa", hash_name, URL, ip="203.0.113.7",
                 notes=["botocore build_policy appends /32 to an ip without '/'"]),
        ]
    out.append(Case("rsa-sha1-custom-escaping", "rsa", "SHA1", ODD_URL, resource=ODD_RESOURCE,
                    date_greater_than=DATE_GREATER_THAN, notes=[
                        "pins json.dumps escaping: \\\" \\\\ and \\u00e9 (ensure_ascii)",
                        "the url does not match the resource literally; JSON escaping only"]))
    out += [
        Case("ec-sha256-canned-query", "ec", "SHA256", URL_QUERY),
        Case("ec-sha256-custom-dgt-ip", "ec", "SHA256", URL_QUERY,
             date_greater_than=DATE_GREATER_THAN, ip="192.0.2.0/24"),
        Case("ec-sha256-custom-wildcard", "ec", "SHA256", URL_QUERY, resource=WILDCARD),
        Case("ec-sha1-canned-query", "ec", "SHA1", URL_QUERY,
             notes=["upstream CLI v2 refuses SHA1 with ECDSA keys"]),
        Case("ec-sha1-custom-dgt-ip", "ec", "SHA1", URL_QUERY,
             date_greater_than=DATE_GREATER_THAN, ip="192.0.2.0/24",
             notes=["upstream CLI v2 refuses SHA1 with ECDSA keys"]),
    ]
    return out


# --------------------------------------------------------------------- the tools


def botocore_sign(case, keys):
    """-> (policy JSON that was signed, signed URL)."""
    key = keys.rsa if case.key == "rsa" else keys.ec
    signer = CloudFrontSigner(KEY_PAIR_ID, signing_callback(key, case.hash))
    if case.custom:
        policy = signer.build_policy(
            case.resource or case.url, utc(case.date_less_than),
            date_greater_than=(utc(case.date_greater_than)
                               if case.date_greater_than is not None else None),
            ip_address=case.ip)
        signed = signer.generate_presigned_url(case.url, policy=policy)
    else:
        policy = canned_policy(case.url, case.date_less_than)
        signed = signer.generate_presigned_url(case.url, date_less_than=utc(case.date_less_than))
    if case.hash == "SHA256":
        signed += "&Hash-Algorithm=SHA256"
    return policy, signed


def cli_env():
    env = dict(os.environ, AWS_CONFIG_FILE=os.devnull,
               AWS_SHARED_CREDENTIALS_FILE=os.devnull, PYTHONUTF8="1")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        env.pop(name, None)
    return env


def cli_args(url, keys, date_less_than, date_greater_than=None, ip=None):
    args = ["--url", url, "--key-pair-id", KEY_PAIR_ID,
            "--private-key", "file://" + keys.path("rsa-pkcs1.pem"),
            "--date-less-than", str(date_less_than)]
    if date_greater_than is not None:
        args += ["--date-greater-than", str(date_greater_than)]
    if ip is not None:
        args += ["--ip-address", ip]
    return args


def awscli_sign(args):
    """Runs `aws cloudfront sign ARGS` (awscli v1 from this venv); -> stdout."""
    cmd = [sys.executable, "-m", "awscli", "cloudfront", "sign"] + args
    done = subprocess.run(cmd, capture_output=True, env=cli_env())
    if done.returncode != 0:
        sys.exit(f"awscli failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return done.stdout.decode("utf-8")


def cli_can_express(case):
    """awscli v1 signs RSA with SHA-1 only, and always uses --url as the resource."""
    if case.key != "rsa":
        return "awscli v1 has no ECDSA support"
    if case.hash != "SHA1":
        return "awscli v1 has no --hash-algorithm"
    if case.resource is not None:
        return "awscli v1 has no --policy-resource"
    return None


# ------------------------------------------------------------------ generating


def check_cli_time_formats(keys):
    """awscli's date parsing: these all mean DATE_LESS_THAN (2026-01-01T00:00:00Z)."""
    expected = awscli_sign(cli_args(URL, keys, DATE_LESS_THAN))
    for text in ("2026-01-01", "2026-01-01T00:00:00", "2026-01-01T01:00:00+01:00",
                 "2025-12-31T19:00:00-05:00", "2026-01-01T00:00:00Z"):
        assert awscli_sign(cli_args(URL, keys, text)) == expected, text


def make_block(case, keys):
    policy, signed = botocore_sign(case, keys)
    lines = [f"=== {case.name}"] + [f"# {n}" for n in case.notes]

    # Our own reading of the URL must give back the signed policy and a good signature.
    resource, params = split_signed_url(signed)
    assert resource == case.url, (resource, case.url)
    message, hash_name, sig = message_and_hash(case.resource or case.url, params)
    assert message == policy.encode() and hash_name == case.hash
    verify(keys.rsa_public if case.key == "rsa" else keys.ec_public, sig, policy.encode(),
           case.hash)

    why_not = cli_can_express(case)
    if why_not is None:
        cli = awscli_sign(cli_args(case.url, keys, case.date_less_than,
                                   case.date_greater_than, case.ip))
        assert cli == signed, f"{case.name}: awscli and botocore differ\n{cli}\n{signed}"
        lines.append("# awscli `aws cloudfront sign`: byte-identical")
    else:
        lines.append(f"# botocore only ({why_not})")

    if case.name == "rsa-sha1-custom-escaping":
        # awscli v1 cannot take a separate resource, so give it the odd string as --url:
        # it must sign the very same policy JSON.
        cli = awscli_sign(cli_args(ODD_RESOURCE, keys, case.date_less_than,
                                   case.date_greater_than))
        _, cli_params = split_signed_url(cli)
        assert cf_b64decode(cli_params["Policy"]) == policy.encode()
        assert cli_params["Signature"] == params["Signature"]
        lines.append("# awscli with --url set to the resource signs the same policy-json")

    if case.key == "ec":
        lines.append("# ECDSA P-256, DER signature, RFC 6979 nonce (OpenSSL via cryptography)")

    lines += [f"key {case.key}", f"hash {case.hash}", f"url {case.url}"]
    if case.resource is not None:
        lines.append(f"policy-resource {case.resource}")
    lines.append(f"date-less-than {case.date_less_than}")
    if case.date_greater_than is not None:
        lines.append(f"date-greater-than {case.date_greater_than}")
    if case.ip is not None:
        lines.append(f"ip-address {case.ip}")
    lines += [f"policy-json {policy}", f"signed-url {signed}"]
    if case.key == "rsa":
        lines += [f"cookie {n}={v}" for n, v in cookies_from_url(signed, case.url)]
    else:
        lines.append("verify-only true")
        # The block must pass the same check --verify-ours applies to the crate's output.
        assert not verify_block(case.name, parse_blocks(lines)[0][1], keys.ec_public, quiet=True)
    return lines


def generate(keys, outfile):
    check_cli_time_formats(keys)
    header = [
        "# CloudFront signed URL / signed cookie vectors.",
        "# Generated by scripts/cloudfront-vectors.py; test keys only (KEYDIR).",
        f"# awscli {awscli.__version__} (vendored botocore {botocore.__version__}), "
        f"cryptography {cryptography.__version__}",
        f"# key-pair-id {KEY_PAIR_ID}; times are epoch seconds (UTC).",
        "",
    ]
    body = []
    for case in cases():
        body += make_block(case, keys) + [""]
    with open(outfile, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(header + body).rstrip("\n") + "\n")
    print(f"wrote {len(cases())} cases to {outfile}", file=sys.stderr)


# ------------------------------------------------------------------- verifying


def parse_blocks(lines):
    """-> [(name, [(field, value), ...])]; comments and blank lines are skipped."""
    blocks = []
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("=== "):
            blocks.append((line[4:].strip(), []))
        elif line and not line.startswith("#") and blocks:
            name, _, value = line.partition(" ")
            blocks[-1][1].append((name, value))
    return blocks


def verify_block(name, fields, public_key, quiet=False):
    """Checks every signed-url and the cookie set of one block; -> failure count."""
    failures = 0

    def report(what, error):
        nonlocal failures
        failures += error is not None
        if error is not None or not quiet:
            print(f"{'OK  ' if error is None else 'FAIL'} {name} {what}"
                  + ("" if error is None else f": {error}"))

    def check(resource, params):
        try:
            message, hash_name, sig = message_and_hash(resource, params)
            verify(public_key, sig, message, hash_name)
        except InvalidSignature:
            return "bad signature"
        except ValueError as e:  # malformed base64 / JSON / non-DER signature
            return str(e) or type(e).__name__
        return None

    values = dict(fields)
    cookies = {}
    urls = 0
    for field_name, value in fields:
        if field_name == "signed-url":
            urls += 1
            try:
                resource, params = split_signed_url(value)
                error = check(resource, params)
            except ValueError as e:
                error = str(e)
            report(f"signed-url #{urls}", error)
        elif field_name == "cookie":
            cookie, _, cookie_value = value.partition("=")
            cookies[cookie] = cookie_value
    if cookies:
        prefix = "CloudFront-"
        if any(not n.startswith(prefix) for n in cookies):
            report("cookies", f"unexpected cookie names {sorted(cookies)}")
        else:
            params = {n[len(prefix):]: v for n, v in cookies.items()}
            resource = values.get("policy-resource") or values.get("url")
            report("cookies", check(resource, params) if resource else "no url line")
    return failures


def verify_ours(keys, path):
    with open(path, encoding="utf-8") as f:
        blocks = parse_blocks(f)
    failures = checked = 0
    for name, fields in blocks:
        if dict(fields).get("key") != "ec":
            continue
        items = sum(1 for n, _ in fields if n == "signed-url") + any(
            n == "cookie" for n, _ in fields)
        checked += items
        failures += verify_block(name, fields, keys.ec_public)
    if checked == 0:
        print("FAIL nothing to check: no signed-url/cookie lines in `key ec` blocks")
        return 1
    print(f"{checked - failures}/{checked} ECDSA items verified")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("keydir")
    parser.add_argument("outfile", nargs="?")
    parser.add_argument("--verify-ours", metavar="FILE")
    args = parser.parse_args()
    if (args.outfile is None) == (args.verify_ours is None):
        parser.error("give exactly one of OUTFILE and --verify-ours FILE")
    keys = read_keys(args.keydir, create=args.outfile is not None)
    if args.verify_ours:
        return verify_ours(keys, args.verify_ours)
    generate(keys, args.outfile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
