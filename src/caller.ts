// The logger whose log call is being written, for destinations that ask who wrote their line
// (pino's metadata streams read it as `lastLogger`): set only by the level methods of loggers
// made with such a destination (logger.ts, callerRecordingMethod), so other calls never touch it.

export const caller = { logger: undefined as unknown };
