// Runs nginxlint (nginxlint.wasm, built from cmd/nginxlint-wasm) off the
// page's thread: the page posts {id, op, arg} and gets back
// {id, out, ms}, out being the JSON text the Go side returned.
/* global Go */
'use strict';

importScripts('wasm_exec.js');

const ready = (async () => {
  const started = performance.now();
  const go = new Go();
  const loaded = new Promise((resolve) => { self.nginxlintReady = resolve; });
  const resp = await fetch('nginxlint.wasm');
  if (!resp.ok) throw new Error('nginxlint.wasm: HTTP ' + resp.status);
  const { instance } = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  go.run(instance);
  await loaded;
  return performance.now() - started;
})();

ready.then(
  (ms) => postMessage({ id: 0, ready: true, ms }),
  (err) => postMessage({ id: 0, ready: false, error: String(err && err.message || err) }),
);

self.onmessage = async (e) => {
  const { id, op, arg } = e.data;
  try {
    await ready;
  } catch (err) {
    postMessage({ id, error: 'nginxlint did not start: ' + String(err && err.message || err) });
    return;
  }
  const started = performance.now();
  let out;
  try {
    out = self.nginxlint[op](arg === undefined ? '' : arg);
  } catch (err) {
    postMessage({ id, error: String(err && err.message || err) });
    return;
  }
  postMessage({ id, out, ms: performance.now() - started });
};
