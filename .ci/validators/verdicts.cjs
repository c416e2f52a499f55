// Corpus files in (paths as arguments), ajv's verdicts out: one JSON line per case,
// {"corpus": path, "case": index, "valid": bool}, and {"corpus": path, "compile_error": message}
// when the corpus's schema does not compile in strict mode (the verdicts then come from a
// compilation that only logs strict-mode complaints). Ajv 2020-12 with ajv-formats (full
// mode), strict mode on, so unknown keywords or formats are errors. Run by
// conformance/tests/it/cross_validators.rs; installed by .ci/install-validators.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

function compile(schema, options) {
  const ajv = new Ajv2020(options);
  addFormats(ajv);
  return ajv.compile(schema);
}

for (const corpusPath of process.argv.slice(2)) {
  const corpus = JSON.parse(fs.readFileSync(corpusPath, "utf8"));
  const schemaPath = path.resolve(path.dirname(corpusPath), corpus.schema);
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  let validate;
  try {
    validate = compile(schema, { strict: true });
  } catch (error) {
    console.log(JSON.stringify({ corpus: corpusPath, compile_error: String(error.message) }));
    // Still give verdicts, so that a strict-mode complaint and a verdict disagreement are told
    // apart: strict mode only refuses schemas, it never changes what a compiled schema accepts.
    try {
      validate = compile(schema, { strict: "log", logger: false });
    } catch (error) {
      continue;
    }
  }
  corpus.cases.forEach((testCase, index) => {
    console.log(JSON.stringify({ corpus: corpusPath, case: index, valid: validate(testCase.payload) }));
  });
}
