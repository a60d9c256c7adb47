// Request validation with two rules: query strings and path parameters are text, so numbers in them
// are converted; JSON bodies are typed by the sender, so a number where a name belongs is an error,
// never silently turned into "123". No request schema uses a string format ("date-time" appears only in
// answers, which are serialised, not validated), so no format library is loaded.

import { Ajv, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(options: Options): Ajv {
  // strict: a format, keyword or type the schemas should not use fails loudly when the routes are built.
  return new Ajv({ useDefaults: true, removeAdditional: false, allErrors: false, strict: true, ...options });
}

export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
