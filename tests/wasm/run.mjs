// Loads the wasm build and checks it signs the example of AWS's S3 documentation
// ("Authenticating Requests: Using Query Parameters") byte for byte.
// Usage: node run.mjs path/to/sigv4_presign_wasm_test.wasm
import { readFileSync } from "node:fs";

const bytes = readFileSync(process.argv[2]);
const { instance } = await WebAssembly.instantiate(bytes, {});
const { memory, alloc, presign_get } = instance.exports;

function presign(url, unixSeconds, expires) {
  const input = new TextEncoder().encode(url);
  const at = alloc(input.length);
  new Uint8Array(memory.buffer, at, input.length).set(input);
  const out = presign_get(at, input.length, BigInt(unixSeconds), expires);
  const len = new DataView(memory.buffer).getUint32(out, true);
  return new TextDecoder().decode(new Uint8Array(memory.buffer, out + 4, len));
}

const expected =
  "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
  "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
  "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
  "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
// 2013-05-24T00:00:00Z
const got = presign("https://examplebucket.s3.amazonaws.com/test.txt", 1369353600, 86400);
if (got !== expected) {
  console.error(`wasm signed\n  ${got}\nexpected\n  ${expected}`);
  process.exit(1);
}
const refused = presign("not a url", 1369353600, 86400);
if (!refused.startsWith("error: ")) {
  console.error(`wasm accepted a malformed URL: ${refused}`);
  process.exit(1);
}
console.log(`ok: the wasm build (${bytes.length} bytes) signs the S3 documentation example`);
