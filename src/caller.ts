// The logger whose log call is being written, for destinations that ask who wrote their line
// (pino's metadata streams read it as `lastLogger`). Kept only once such a destination exists:
// until then a log call does not touch it.

export const caller = {
  /** A destination asks: log calls record themselves here. */
  wanted: false,
  logger: undefined as unknown,
};
