// Calls to Devana's API with the signed-in user's access token.
import { apiRoot, currentUser } from './auth.js';
import { ApiError, errorFromResponse } from './errors.js';
import { SseParser, applyChunk, newAnswer } from './sse.js';

async function token() {
    const user = await currentUser();
    if (!user) {
        // No redirect from here: a request still in flight while signing out must not sign back in.
        throw new ApiError(401, { message: 'Not signed in.' });
    }
    return user.access_token;
}

/** JSON in, JSON out; a FormData body is sent as multipart. Throws ApiError on a non-2xx answer. */
export async function api(path, { method = 'GET', body, signal } = {}) {
    const headers = { authorization: `Bearer ${await token()}` };
    let payload = body;
    if (body !== undefined && !(body instanceof FormData)) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
    }
    const response = await fetch(new URL(path.replace(/^\//, ''), apiRoot), { method, headers, body: payload, signal });
    if (!response.ok) {
        throw await errorFromResponse(response);
    }
    return response.status === 204 ? null : response.json();
}

/** Every page of a cursor-paged list. */
export async function listAll(path, limit = 100) {
    const items = [];
    let after = null;
    do {
        const separator = path.includes('?') ? '&' : '?';
        const page = await api(`${path}${separator}limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
        items.push(...page.data);
        after = page.has_more ? page.next_cursor : null;
    } while (after);
    return items;
}

/**
 * Streams a completion: onUpdate(answer) after every chunk. Resolves with the final answer; an
 * aborted signal ends it with finishReason "cancelled" (what the server stores too).
 */
export async function streamCompletion(request, { signal, onUpdate }) {
    const response = await fetch(new URL('v1/chat/completions', apiRoot), {
        method: 'POST',
        headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ ...request, stream: true, stream_options: { include_usage: true } }),
        signal,
    });
    if (!response.ok) {
        throw await errorFromResponse(response);
    }
    const answer = newAnswer();
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
        for (;;) {
            const { value, done } = await reader.read();
            if (done) {
                break;
            }
            for (const data of parser.push(value)) {
                if (data === '[DONE]') {
                    answer.done = true;
                    continue;
                }
                applyChunk(answer, JSON.parse(data));
                if (answer.error) {
                    throw new ApiError(answer.error.code === 'upstream_timeout' ? 504 : 502, answer.error);
                }
                onUpdate?.(answer);
            }
        }
    } catch (error) {
        if (error?.name === 'AbortError') {
            answer.finishReason = 'cancelled';
            onUpdate?.(answer);
            return answer;
        }
        throw error;
    }
    return answer;
}
