// Turning the API's error envelope ({"error": {message, type, param, code}}) into sentences for people.

export class ApiError extends Error {
    constructor(status, error, requestId) {
        super(error?.message ?? `HTTP ${status}`);
        this.name = 'ApiError';
        this.status = status;
        this.code = error?.code ?? null;
        this.type = error?.type ?? null;
        this.param = error?.param ?? null;
        this.requestId = requestId ?? null;
    }
}

const resetPattern = /resets at (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?Z)/;

/** The reset time named in a quota_exceeded message, as a Date, or null. */
export function quotaResetTime(message) {
    const match = resetPattern.exec(message ?? '');
    return match ? new Date(match[1]) : null;
}

/**
 * A readable sentence for an error: what happened and what to do. `now` and `locale` are parameters
 * so that tests can pin them.
 */
export function describeError(error, { locale, timeZone } = {}) {
    if (!(error instanceof ApiError)) {
        if (error?.name === 'AbortError') {
            return 'Stopped.';
        }
        return `Devana could not be reached (${error?.message ?? 'network error'}). Check your connection and try again.`;
    }
    const message = error.message;
    switch (error.status) {
        case 401:
            return 'Your session has ended. Sign in again.';
        case 403:
            if (error.code === 'quota_exceeded') {
                const reset = quotaResetTime(message);
                const when = reset ? reset.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }) : null;
                return when ? `You have reached a usage limit. You can continue after ${when}. (${message})` : `You have reached a usage limit. (${message})`;
            }
            if (error.code === 'insufficient_scope') {
                return `You are not allowed to do this with this sign-in. (${message})`;
            }
            if (error.code === 'model_not_allowed') {
                return `This agent does not allow that LLM. Pick another one. (${message})`;
            }
            return `You are not allowed to do this. (${message})`;
        case 404:
            return `Not found: it may have been deleted. (${message})`;
        case 409:
            return `Already exists. (${message})`;
        case 413:
            return `Too large. (${message})`;
        case 502:
            return `The LLM behind this agent failed to answer. Try again in a moment. (${message})`;
        case 504:
            return `The LLM behind this agent took too long to answer. Try again, perhaps with a shorter question. (${message})`;
        default:
            if (error.status >= 500) {
                return `Devana had a problem${error.requestId ? ` (request ${error.requestId})` : ''}. Try again. (${message})`;
            }
            return message;
    }
}

/** Reads an error response into an ApiError (the envelope when there is one, else the status line). */
export async function errorFromResponse(response) {
    let error = null;
    try {
        const body = await response.json();
        error = body?.error ?? null;
    } catch {
        // Not JSON: fall back to the status.
    }
    return new ApiError(response.status, error ?? { message: `${response.status} ${response.statusText}`.trim() }, response.headers.get('x-request-id'));
}
