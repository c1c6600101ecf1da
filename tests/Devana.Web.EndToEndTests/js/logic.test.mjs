// Unit tests of the console's own logic (node --test), run by JavaScriptUnitTests.cs. The modules
// under test are copied next to this file (see JavaScriptUnitTests.cs), so they are the served files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, applyChunk, newAnswer } from './app/sse.js';
import { ApiError, describeError, quotaResetTime, errorFromResponse } from './app/errors.js';
import { lastDays, niceMax, stackByDay } from './app/usage.js';
import { appBase, formatLimit, formatUsage, splitList } from './app/format.js';

test('SseParser joins events split across reads and skips comments', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: {"a":'), []);
    assert.deepEqual(parser.push('1}\n\n: keep-alive\n\nda'), ['{"a":1}']);
    assert.deepEqual(parser.push('ta: [DONE]\r\n\r\n'), ['[DONE]']);
});

test('SseParser joins multi-line data and ignores other fields', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('event: x\nid: 3\ndata: one\ndata:two\n\n'), ['one\ntwo']);
});

test('applyChunk accumulates choice 0 text, finish reason, usage, sources and conversation', () => {
    const answer = newAnswer();
    applyChunk(answer, { conversation_id: 'conv_1', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    applyChunk(answer, { conversation_id: 'conv_1', choices: [{ index: 0, delta: { content: 'Hel' } }, { index: 1, delta: { content: 'ignored' } }] });
    applyChunk(answer, { conversation_id: 'conv_1', choices: [{ index: 0, delta: { content: 'lo' } }] });
    applyChunk(answer, {
        conversation_id: 'conv_1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
        debug: { sources: [{ file_id: 'file_1', filename: 'a.txt', excerpt: 'x' }] },
    });
    assert.equal(answer.content, 'Hello');
    assert.equal(answer.finishReason, 'stop');
    assert.equal(answer.usage.total_tokens, 5);
    assert.equal(answer.sources[0].filename, 'a.txt');
    assert.equal(answer.conversationId, 'conv_1');
});

test('applyChunk keeps an error event', () => {
    const answer = applyChunk(newAnswer(), { error: { message: 'boom', code: 'upstream_error' } });
    assert.equal(answer.error.code, 'upstream_error');
});

test('quotaResetTime reads the reset time of a quota_exceeded message', () => {
    const message = 'Quota exceeded: requests_per_minute of the principal quota of usr_7f is 5 and 5 requests were made in this window. It resets at 2026-11-25T10:01:00Z.';
    assert.equal(quotaResetTime(message).toISOString(), '2026-11-25T10:01:00.000Z');
    assert.equal(quotaResetTime('something else'), null);
});

test('describeError names the reset time of a quota', () => {
    const error = new ApiError(403, { code: 'quota_exceeded', message: 'Quota exceeded: … It resets at 2026-11-25T10:01:00Z.' });
    const text = describeError(error, { locale: 'en-GB', timeZone: 'UTC' });
    assert.match(text, /continue after 25 Nov 2026, 10:01/);
});

test('describeError explains 404, 502, 504, 401 and network failures', () => {
    assert.match(describeError(new ApiError(404, { code: 'conversation_not_found', message: 'No such conversation.' })), /^Not found/);
    assert.match(describeError(new ApiError(502, { code: 'upstream_error', message: 'x' })), /failed to answer/);
    assert.match(describeError(new ApiError(504, { code: 'upstream_timeout', message: 'x' })), /took too long/);
    assert.match(describeError(new ApiError(401, { message: 'x' })), /Sign in again/);
    assert.match(describeError(new TypeError('Failed to fetch')), /could not be reached/);
    assert.match(describeError(new ApiError(500, { message: 'x' }, 'req_1')), /request req_1/);
});

test('errorFromResponse reads the envelope, or falls back to the status', async () => {
    const withEnvelope = await errorFromResponse(new Response(JSON.stringify({ error: { message: 'Bad', code: 'invalid_value', param: 'name', type: 'invalid_request_error' } }), { status: 400, headers: { 'x-request-id': 'req_9' } }));
    assert.equal(withEnvelope.status, 400);
    assert.equal(withEnvelope.param, 'name');
    assert.equal(withEnvelope.requestId, 'req_9');
    const plain = await errorFromResponse(new Response('oops', { status: 503, statusText: 'Service Unavailable' }));
    assert.equal(plain.message, '503 Service Unavailable');
});

test('lastDays lists UTC dates oldest first, across a month end', () => {
    assert.deepEqual(lastDays(new Date('2026-03-02T23:30:00Z'), 3), ['2026-02-28', '2026-03-01', '2026-03-02']);
});

test('stackByDay keeps the top groups and sums the rest as other', () => {
    const day = (date, rows) => ({ date, report: { data: rows.map(([group, requests]) => ({ group, requests })) } });
    const chart = stackByDay([
        day('2026-01-01', [['a', 5], ['b', 1], ['c', 1]]),
        day('2026-01-02', [['a', 1], ['b', 4]]),
    ], 'requests', 2);
    assert.deepEqual(chart.groups, ['a', 'b', 'other']);
    assert.deepEqual(chart.values, [[5, 1], [1, 4], [1, 0]]);
    assert.equal(chart.max, 7);
});

test('stackByDay without usage has no groups', () => {
    const chart = stackByDay([{ date: '2026-01-01', report: { data: [] } }], 'total_tokens');
    assert.deepEqual(chart.groups, []);
    assert.equal(chart.max, 0);
});

test('niceMax rounds up to 1, 2 or 5 times a power of ten', () => {
    assert.equal(niceMax(0), 1);
    assert.equal(niceMax(7), 10);
    assert.equal(niceMax(130), 200);
    assert.equal(niceMax(5000), 5000);
});

test('appBase finds the app under any path base and route', () => {
    assert.equal(appBase('/app/'), '/app/');
    assert.equal(appBase('/app/callback'), '/app/');
    assert.equal(appBase('/devana/app/callback'), '/devana/app/');
    assert.equal(appBase('/app'), '/app/');
});

test('formatting helpers', () => {
    assert.equal(formatUsage({ prompt_tokens: 1200, completion_tokens: 3, total_tokens: 1203 }, 'en-US'), '1,200 prompt + 3 completion = 1,203 tokens');
    assert.equal(formatUsage(null), '');
    assert.equal(formatLimit(0), 'no limit');
    assert.deepEqual(splitList(' https://a/cb,https://b/cb  https://c/cb '), ['https://a/cb', 'https://b/cb', 'https://c/cb']);
});
