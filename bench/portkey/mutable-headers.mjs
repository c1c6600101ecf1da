// Loaded with `node --import` before the Portkey gateway (bench/run.sh). On Node.js, the gateway
// appends its x-portkey-* headers to the upstream's fetch Response, whose headers the fetch standard
// makes immutable, and every streamed completion then fails with "TypeError: immutable" (Portkey
// gateway issues #1389 and #1550). This hands the gateway a copy of each upstream response with
// ordinary headers, the same fix as the gateway's own pull request #1551; the body is not copied.
const upstreamFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await upstreamFetch(...args);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
};
