// A JSON Lines recording and one endpoint's published response schema in, ajv's count out: of
// the lines whose method and path are the endpoint's, how many break the contract (a status it
// does not accept, a body that is not JSON, or one the schema rejects), and how long the pass
// took on one core (reading included, compiling the schema not). Ajv 2020-12 with ajv-formats.
// Prints one JSON line: {"lines", "matched", "invalid", "seconds"}.
//   node recorded_lines.cjs SCHEMA.json RECORDING.jsonl METHOD PATH STATUS[,STATUS…]
// Run by conformance/benches/recorded_table.rs; installed by .ci/install-validators.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [schemaPath, recordingPath, method, endpointPath, statuses] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
const accepted = new Set(statuses.split(",").map(Number));

function pathOf(target) {
  let path = target;
  const scheme = path.indexOf("://");
  if (scheme >= 0) {
    const slash = path.indexOf("/", scheme + 3);
    path = slash >= 0 ? path.slice(slash) : "/";
  }
  const end = path.search(/[?#]/);
  return end >= 0 ? path.slice(0, end) : path;
}

const started = process.hrtime.bigint();
const bytes = fs.readFileSync(recordingPath);
let lines = 0;
let matched = 0;
let invalid = 0;
let start = 0;
while (start < bytes.length) {
  let end = bytes.indexOf(10, start);
  if (end < 0) end = bytes.length;
  const text = bytes.toString("utf8", start, end).trim();
  start = end + 1;
  if (text === "") continue;
  lines += 1;
  const exchange = JSON.parse(text);
  if (String(exchange.method).toUpperCase() !== method) continue;
  if (pathOf(exchange.path !== undefined ? exchange.path : exchange.url) !== endpointPath) continue;
  matched += 1;
  if (!accepted.has(exchange.status)) {
    invalid += 1;
    continue;
  }
  let body = exchange.body;
  if (exchange.body_text !== undefined) {
    try {
      body = JSON.parse(exchange.body_text);
    } catch (error) {
      invalid += 1;
      continue;
    }
  }
  if (!validate(body)) invalid += 1;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ lines, matched, invalid, seconds }));
