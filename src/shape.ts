// A logger's shaping of records — per-key serializers, then redaction, and a message prefix —
// built once per logger (or child with options) so the hot path makes one check for each.

import type { FieldRedactor, Redactor } from './redact';
import { THROWS } from './serialize';
import { applySerializers, type Serializers } from './serializers';

export interface Shape {
  readonly redact: Redactor | undefined;
  readonly serializers: Serializers | undefined;
  readonly msgPrefix: string | undefined;
  /** Where `log.error(err)` puts the Error, and where a message defaults from. */
  readonly errorKey: string;
  /** A record's fields through the serializers, before capture; undefined when there are none. */
  readonly serialize: ((fields: object) => object) | undefined;
  /** Applied by the engine to each field as it captures it. */
  readonly redactField: FieldRedactor | undefined;
  /** Serializers then redaction, for whole objects (bindings, context); undefined for neither. */
  readonly prepare: ((fields: object) => object) | undefined;
}

export function makeShape(
  redact: Redactor | undefined,
  serializers: Serializers | undefined,
  msgPrefix: string | undefined,
  errorKey: string,
): Shape {
  const keys = serializers ? Object.keys(serializers) : [];
  let serialize: Shape['serialize'];
  if (keys.length > 0) {
    const s = serializers as Serializers;
    serialize = (f) => {
      try {
        return applySerializers(f, s, keys);
      } catch {
        // Copying the fields threw (a hostile getter): fail closed, as redaction does.
        return { fields: THROWS };
      }
    };
  }
  const redactObject = redact?.object;
  let prepare: Shape['prepare'] = serialize ?? redactObject;
  if (serialize !== undefined && redactObject !== undefined) prepare = (f) => redactObject(serialize(f));
  return {
    redact,
    serializers: keys.length > 0 ? serializers : undefined,
    msgPrefix,
    errorKey,
    serialize,
    redactField: redact?.field,
    prepare,
  };
}
