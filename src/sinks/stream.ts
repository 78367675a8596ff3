// A JavaScript stream as a destination (the JS engine): one `write(line)` per record, as pino
// writes to a stream, with pino's metadata (`lastLevel`, `lastMsg`, `lastObj`, `lastTime`) set
// first for a stream that asks for it (multistream, pino-abstract-transport's).

import type { StreamLike } from '../options';
import { needsMetadataGsym } from '../symbols';

/** Writes one line; throws what the stream throws. */
export function writeToStream(stream: StreamLike, line: string, level: number, time: number | string | undefined, members: string, msg: string | undefined): void {
  if (stream[needsMetadataGsym] === true) {
    const s = stream as StreamLike & Record<string, unknown>;
    s.lastLevel = level;
    s.lastMsg = msg;
    s.lastObj = members === '' ? {} : safeParse('{' + members.slice(1) + '}');
    s.lastTime = time === undefined ? '' : typeof time === 'number' ? String(time) : time.slice(time.indexOf(':') + 1);
  }
  stream.write(line);
}

function safeParse(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}
