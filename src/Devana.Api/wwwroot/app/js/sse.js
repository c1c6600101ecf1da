// Server-Sent Events parsing for a fetch() body: pure, so the unit tests can feed it byte by byte.

/**
 * Accumulates text and hands back the complete events it holds. An event ends with a blank line;
 * `data:` lines are joined with "\n"; comments (": keep-alive") and other fields are skipped.
 */
export class SseParser {
    #buffer = '';

    /** Adds text; returns the data of each event completed by it, in order. */
    push(text) {
        this.#buffer += text.replace(/\r\n?/g, '\n');
        const events = [];
        let end;
        while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
            const block = this.#buffer.slice(0, end);
            this.#buffer = this.#buffer.slice(end + 2);
            const data = [];
            for (const line of block.split('\n')) {
                if (line.startsWith('data:')) {
                    data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
                }
            }
            if (data.length > 0) {
                events.push(data.join('\n'));
            }
        }
        return events;
    }
}

/**
 * Folds one parsed chunk of a chat.completion stream into the answer so far (choice 0): its text,
 * finish reason, usage, sources, conversation and LLM. Returns what changed, for the caller to show.
 */
export function applyChunk(answer, chunk) {
    if (chunk.error) {
        answer.error = chunk.error;
        return answer;
    }
    answer.conversationId = chunk.conversation_id ?? answer.conversationId;
    answer.clientModel = chunk.client_model ?? answer.clientModel;
    for (const choice of chunk.choices ?? []) {
        if (choice.index !== 0) {
            continue;
        }
        if (choice.delta?.content) {
            answer.content += choice.delta.content;
        }
        if (choice.finish_reason) {
            answer.finishReason = choice.finish_reason;
        }
    }
    if (chunk.usage) {
        answer.usage = chunk.usage;
    }
    if (chunk.debug?.sources) {
        answer.sources = chunk.debug.sources;
    }
    return answer;
}

export function newAnswer() {
    return { content: '', finishReason: null, usage: null, sources: [], conversationId: null, clientModel: null, error: null, done: false };
}
