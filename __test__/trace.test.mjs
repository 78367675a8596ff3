// Trace context from @opentelemetry/api (with the SDK's AsyncLocalStorage context manager, as
// an instrumented service has it) and the tracing channel around the log call. Both engines.
import test from 'ava';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { tracingChannel } from 'node:diagnostics_channel';
import { join } from 'node:path';

import { createLogger } from '../index.mjs';
import { ENGINES, readRecords, tempDir } from './helpers.mjs';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const SPAN = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
const inSpan = (fn) => context.with(trace.setSpan(context.active(), trace.wrapSpanContext(SPAN)), fn);

for (const engine of ENGINES) {
  test(`${engine}: records inside an active span carry its ids as instrumentation-pino writes them; outside, none`, async (t) => {
    const dir = tempDir();
    const log = createLogger({ engine, destination: join(dir, 'a.log') });
    const off = createLogger({ engine, destination: join(dir, 'b.log'), traceContext: false });
    inSpan(() => {
      log.info('inside');
      log.child({ c: 1 }).info({ trace_id: 'mine' }, 'own field wins');
      off.info('switched off');
    });
    await new Promise((r) => setTimeout(r, 5));
    await inSpan(async () => {
      await new Promise((r) => setTimeout(r, 5));
      log.info('after an await, still inside');
    });
    inSpan(() => context.with(trace.setSpan(context.active(), trace.wrapSpanContext({ ...SPAN, traceId: '0'.repeat(32) })), () => log.info('invalid span')));
    log.info('outside');
    await log.close();
    await off.close();
    const [a, b, c, d, e] = readRecords(t, join(dir, 'a.log'));
    t.like(a, { msg: 'inside', trace_id: SPAN.traceId, span_id: SPAN.spanId, trace_flags: '01' });
    t.like(b, { msg: 'own field wins', trace_id: 'mine', span_id: SPAN.spanId, c: 1 });
    t.like(c, { msg: 'after an await, still inside', trace_id: SPAN.traceId });
    t.false('trace_id' in d, 'an invalid span context adds nothing');
    t.false('trace_id' in e);
    t.false('trace_id' in readRecords(t, join(dir, 'b.log'))[0]);
  });
}

test('traceContext: true is checked at construction', (t) => {
  t.throws(() => createLogger({ traceContext: 'yes' }), { message: /invalid option "traceContext"/ });
  t.notThrows(() => createLogger({ traceContext: true, destination: join(tempDir(), 'x.log') }));
});

test('the tracing channel tracing:kakashi:log sees each record, and nothing when unsubscribed', async (t) => {
  const dir = tempDir();
  const log = createLogger({ destination: join(dir, 'a.log') });
  const seen = [];
  const channel = tracingChannel('kakashi:log');
  const handlers = {
    start: (m) => seen.push(['start', m.level, m.msg, m.fields, m.instance === log]),
    end: (m) => seen.push(['end', m.level]),
  };
  log.info('before');
  channel.subscribe(handlers);
  log.warn({ a: 1 }, 'watched');
  // A printf message whose object the native engine would capture itself: subscribers get its text.
  log.info('obj %j', { b: 2 });
  channel.unsubscribe(handlers);
  log.info('after');
  await log.close();
  t.deepEqual(seen, [['start', 40, 'watched', { a: 1 }, true], ['end', 40], ['start', 30, 'obj {"b":2}', undefined, true], ['end', 30]]);
  t.deepEqual(readRecords(t, join(dir, 'a.log')).map((r) => r.msg), ['before', 'watched', 'obj {"b":2}', 'after']);
});
