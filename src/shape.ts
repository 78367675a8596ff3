// A logger's shaping of records before capture — per-key serializers, then redaction, and a
// message prefix — built once per logger (or child with options), composed into one function
// so the hot path makes a single check.

import type { Redactor } from './redact';
import { THROWS } from './serialize';
import { applySerializers, type Serializers } from './serializers';

export interface Shape {
  readonly redact: Redactor | undefined;
  readonly serializers: Serializers | undefined;
  readonly msgPrefix: string | undefined;
  /** Where `log.error(err)` puts the Error, and where a message defaults from. */
  readonly errorKey: string;
  /** Serializers then redaction, or undefined when there is neither. */
  readonly prepare: ((fields: object) => object) | undefined;
}

export function makeShape(
  redact: Redactor | undefined,
  serializers: Serializers | undefined,
  msgPrefix: string | undefined,
  errorKey: string,
): Shape {
  const keys = serializers ? Object.keys(serializers) : [];
  let prepare: Shape['prepare'] = redact;
  if (keys.length > 0) {
    const s = serializers as Serializers;
    prepare = (f) => {
      try {
        const serialized = applySerializers(f, s, keys);
        return redact ? redact(serialized) : serialized;
      } catch {
        // Copying the fields threw (a hostile getter): fail closed, as redaction does.
        return { fields: THROWS };
      }
    };
  }
  return { redact, serializers: keys.length > 0 ? serializers : undefined, msgPrefix, errorKey, prepare };
}
