// pino's printf (quick-format-unescaped) ships no types of its own.
declare module 'quick-format-unescaped' {
  function format(f: unknown, args: unknown[], options?: { stringify?: (v: unknown) => string | undefined }): unknown;
  export = format;
}
