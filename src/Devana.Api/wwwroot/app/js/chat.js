// Chat: pick an agent, stream answers token by token, stop them, continue, rename and delete
// conversations, pick the language and the LLM, attach files, see sources and token usage.
import { api, listAll, streamCompletion } from './api.js';
import { field, h, notice, replace } from './dom.js';
import { describeError } from './errors.js';
import { formatUsage } from './format.js';
import { setMarkdown } from './markdown.js';

export const languages = [
    ['en', 'English'], ['fr', 'French'], ['de', 'German'], ['es', 'Spanish'], ['it', 'Italian'], ['pt', 'Portuguese'],
    ['nl', 'Dutch'], ['pl', 'Polish'], ['sv', 'Swedish'], ['ja', 'Japanese'], ['zh', 'Chinese'], ['ko', 'Korean'],
    ['ar', 'Arabic'], ['hi', 'Hindi'], ['ru', 'Russian'], ['uk', 'Ukrainian'], ['tr', 'Turkish'], ['sr', 'Serbian'],
];

const state = {
    models: [],
    agent: null,
    conversationId: null,
    files: [],
    controller: null,
    agentTicket: 0,
};

export async function render(main, { params }) {
    state.controller?.abort();
    state.controller = null;
    state.files = [];
    state.conversationId = params[0] ?? null;

    const agentSelect = h('select', { id: 'agent', onchange: () => selectAgent(agentSelect.value, { newChat: true }) });
    const llmSelect = h('select', { id: 'llm' });
    const langSelect = h('select', { id: 'lang' },
        h('option', { value: '' }, 'Agent\u2019s default'),
        languages.map(([code, name]) => h('option', { value: code }, `${name} (${code})`)));
    const conversationList = h('ul', { class: 'conversations', id: 'conversations' });
    const log = h('div', { class: 'log', id: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': 'Messages' });
    const welcome = h('div', { class: 'welcome-message', id: 'welcome' });
    const status = h('div', { id: 'chat-status' });
    const input = h('textarea', { id: 'message', rows: 3, required: true, placeholder: 'Ask something… (Ctrl+Enter sends)' });
    const fileInput = h('input', { type: 'file', id: 'attach', multiple: true });
    const attached = h('ul', { class: 'chips', id: 'attached', 'aria-label': 'Attached files' });
    const send = h('button', { type: 'submit', class: 'primary', id: 'send' }, 'Send');
    const stop = h('button', { type: 'button', id: 'stop', hidden: true, onclick: () => state.controller?.abort() }, 'Stop');
    const form = h('form', { class: 'composer', id: 'composer' },
        field('Message', input),
        h('div', { class: 'composer-row' }, field('Attach files', fileInput), send, stop),
        attached);

    state.ui = { agentSelect, llmSelect, langSelect, conversationList, log, welcome, status, input, fileInput, attached, send, stop, form };

    input.addEventListener('keydown', event => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            form.requestSubmit();
        }
    });
    fileInput.addEventListener('change', () => uploadFiles([...fileInput.files]));
    form.addEventListener('submit', event => {
        event.preventDefault();
        sendMessage();
    });

    replace(main,
        h('div', { class: 'chat' },
            h('aside', { class: 'sidebar', 'aria-label': 'Conversations' },
                h('button', { type: 'button', id: 'new-chat', onclick: () => { location.hash = '#/chat'; } }, 'New chat'),
                h('h2', {}, 'Conversations'),
                conversationList),
            h('section', { class: 'conversation', 'aria-label': 'Conversation' },
                h('div', { class: 'pickers' }, field('Agent', agentSelect), field('LLM', llmSelect), field('Language', langSelect)),
                status, welcome, log, form)));

    try {
        state.models = (await api('/v1/models')).data;
    } catch (error) {
        replace(status, notice(describeError(error)));
        return;
    }
    replace(agentSelect, state.models.map(model => h('option', { value: model.id }, model.name ?? model.id)));
    if (state.models.length === 0) {
        replace(status, notice('No agent is available to you yet. Create one under Agents.', 'status'));
        form.hidden = true;
    }
    loadConversations();

    if (state.conversationId) {
        await openConversation(state.conversationId);
    } else if (state.models.length > 0) {
        await selectAgent(sessionStorage.getItem('devana.agent') ?? state.models[0].id, { newChat: false });
    }
}

async function loadConversations() {
    const { conversationList } = state.ui;
    try {
        const page = await api('/v1/conversations?limit=50');
        replace(conversationList, page.data.map(conversationItem));
        if (page.data.length === 0) {
            replace(conversationList, h('li', { class: 'empty' }, 'None yet.'));
        }
    } catch (error) {
        replace(conversationList, h('li', {}, notice(describeError(error))));
    }
}

function conversationItem(conversation) {
    const title = conversation.title || 'Untitled';
    const current = conversation.id === state.conversationId;
    return h('li', { class: current ? 'current' : '' },
        h('a', { href: `#/chat/${encodeURIComponent(conversation.id)}`, 'aria-current': current ? 'page' : null }, title),
        h('span', { class: 'item-actions' },
            h('button', { type: 'button', class: 'small', 'aria-label': `Rename ${title}`, onclick: () => renameConversation(conversation) }, 'Rename'),
            h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${title}`, onclick: () => deleteConversation(conversation) }, 'Delete')));
}

async function renameConversation(conversation) {
    const title = window.prompt('New title', conversation.title ?? '');
    if (title === null || title.trim() === '') {
        return;
    }
    try {
        await api(`/v1/conversations/${encodeURIComponent(conversation.id)}`, { method: 'PATCH', body: { title: title.trim() } });
        await loadConversations();
    } catch (error) {
        replace(state.ui.status, notice(describeError(error)));
    }
}

async function deleteConversation(conversation) {
    if (!window.confirm(`Delete "${conversation.title || 'Untitled'}"?`)) {
        return;
    }
    try {
        await api(`/v1/conversations/${encodeURIComponent(conversation.id)}`, { method: 'DELETE' });
        if (conversation.id === state.conversationId) {
            location.hash = '#/chat';
        } else {
            await loadConversations();
        }
    } catch (error) {
        replace(state.ui.status, notice(describeError(error)));
    }
}

async function selectAgent(id, { newChat }) {
    const { agentSelect, llmSelect, welcome, log, status } = state.ui;
    if (newChat && state.conversationId) {
        state.conversationId = null;
        history.replaceState(null, '', '#/chat');
        replace(log);
    }
    const model = state.models.find(candidate => candidate.id === id) ?? state.models[0];
    if (!model) {
        return;
    }
    agentSelect.value = model.id;
    sessionStorage.setItem('devana.agent', model.id);
    replace(status);
    // The last agent picked wins, even when an earlier pick's details arrive after it.
    const ticket = ++state.agentTicket;
    let agent = { id: model.id, allowed_models: [], model: null, welcome_message: null };
    try {
        agent = await api(`/v1/agents/${encodeURIComponent(model.id)}`);
    } catch {
        // A token without the agents scope can still chat: the agent's details are a nicety.
    }
    if (ticket !== state.agentTicket) {
        return;
    }
    let llms = agent.allowed_models ?? [];
    if (llms.length === 0) {
        try {
            llms = (await api('/v1/llms')).data.map(llm => llm.id);
        } catch {
            llms = [];
        }
    }
    if (ticket !== state.agentTicket) {
        return;
    }
    state.agent = agent;
    replace(llmSelect,
        h('option', { value: '' }, agent.model ? `Agent\u2019s default (${agent.model})` : 'Agent\u2019s default'),
        llms.map(llm => h('option', { value: llm }, llm)));
    replace(welcome, agent.welcome_message && !state.conversationId ? h('p', {}, agent.welcome_message) : null);
    if (!state.conversationId && log.childElementCount === 0) {
        welcome.hidden = !agent.welcome_message;
    }
    state.ui.form.dataset.agent = agent.id;
}

async function openConversation(id) {
    const { log, status, welcome } = state.ui;
    try {
        const conversation = await api(`/v1/conversations/${encodeURIComponent(id)}`);
        const messages = await listAll(`/v1/conversations/${encodeURIComponent(id)}/messages`);
        await selectAgent(conversation.agent_id, { newChat: false });
        welcome.hidden = true;
        replace(log, messages.filter(message => message.choice_index === null || message.choice_index === undefined || message.choice_index === 0).map(message =>
            message.role === 'user'
                ? userBubble(message.content, message.file_ids?.length ?? 0, message.status)
                : assistantBubble({ content: message.content, finishReason: message.finish_reason, usage: message.usage, clientModel: message.client_model, sources: [] })));
        log.lastElementChild?.scrollIntoView({ block: 'end' });
    } catch (error) {
        replace(status, notice(describeError(error)));
    }
}

function userBubble(text, fileCount, status) {
    return h('article', { class: 'message user' },
        h('h3', { class: 'visually-hidden' }, 'You'),
        h('p', { class: 'text' }, text),
        fileCount ? h('p', { class: 'meta' }, `${fileCount} file${fileCount > 1 ? 's' : ''} attached`) : null,
        status === 'failed' ? h('p', { class: 'meta warn' }, 'Not answered (the LLM failed).') : null);
}

function assistantBubble(answer) {
    const body = h('div', { class: 'markdown' });
    const meta = h('p', { class: 'meta' });
    const sources = h('div', { class: 'sources' });
    const bubble = h('article', { class: 'message assistant' }, h('h3', { class: 'visually-hidden' }, 'Answer'), body, sources, meta);
    bubble.update = current => {
        setMarkdown(body, current.content);
        const parts = [];
        if (current.clientModel) {
            parts.push(current.clientModel);
        }
        if (current.usage) {
            parts.push(formatUsage(current.usage));
        }
        if (current.finishReason === 'cancelled') {
            parts.push('Stopped');
        } else if (current.finishReason === 'length') {
            parts.push('Cut at the token limit');
        }
        meta.textContent = parts.join(' · ');
        replace(sources, current.sources?.length
            ? h('details', {},
                h('summary', {}, `Sources (${current.sources.length})`),
                h('ul', {}, current.sources.map(source => h('li', {}, h('strong', {}, source.filename), ' — ', source.excerpt))))
            : null);
    };
    bubble.update(answer);
    return bubble;
}

async function uploadFiles(files) {
    const { attached, fileInput, status } = state.ui;
    for (const file of files) {
        const entry = { name: file.name, id: null, status: 'uploading' };
        state.files.push(entry);
        renderChips();
        try {
            const form = new FormData();
            form.append('file', file);
            form.append('purpose', 'assistants');
            const uploaded = await api('/v1/files', { method: 'POST', body: form });
            entry.id = uploaded.id;
            entry.status = uploaded.status;
            if (uploaded.status === 'failed') {
                replace(status, notice(`${file.name} could not be read: ${uploaded.error ?? 'no text found'}.`));
            }
        } catch (error) {
            entry.status = 'failed';
            replace(status, notice(`${file.name}: ${describeError(error)}`));
        }
        renderChips();
    }
    fileInput.value = '';
    attached.hidden = state.files.length === 0;
}

function renderChips() {
    const { attached } = state.ui;
    replace(attached, state.files.map(entry => h('li', { class: `chip ${entry.status}` },
        `${entry.name} (${entry.status})`,
        h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${entry.name}`, onclick: () => { state.files = state.files.filter(item => item !== entry); renderChips(); } }, '×'))));
}

async function sendMessage() {
    const { input, log, status, send, stop, llmSelect, langSelect, welcome } = state.ui;
    const text = input.value.trim();
    if (!text || state.controller) {
        return;
    }
    if (state.files.some(entry => entry.status === 'uploading')) {
        replace(status, notice('Wait for the files to finish uploading.', 'status'));
        return;
    }
    const fileIds = state.files.filter(entry => entry.status === 'processed').map(entry => entry.id);
    replace(status);
    welcome.hidden = true;
    log.append(userBubble(text, fileIds.length));
    const bubble = assistantBubble({ content: '', sources: [] });
    bubble.classList.add('streaming');
    log.append(bubble);
    bubble.scrollIntoView({ block: 'end' });
    input.value = '';
    state.files = [];
    renderChips();

    const request = { model: state.ui.agentSelect.value, messages: [{ role: 'user', content: text }] };
    if (state.conversationId) {
        request.conversation_id = state.conversationId;
    }
    if (langSelect.value) {
        request.lang = langSelect.value;
    }
    if (llmSelect.value) {
        request.clientModel = llmSelect.value;
    }
    if (fileIds.length > 0) {
        request.files = fileIds;
    }

    state.controller = new AbortController();
    send.disabled = true;
    stop.hidden = false;
    let frame = 0;
    try {
        const answer = await streamCompletion(request, {
            signal: state.controller.signal,
            onUpdate: current => {
                if (current.conversationId && current.conversationId !== state.conversationId) {
                    state.conversationId = current.conversationId;
                    history.replaceState(null, '', `#/chat/${encodeURIComponent(current.conversationId)}`);
                }
                cancelAnimationFrame(frame);
                frame = requestAnimationFrame(() => bubble.update(current));
            },
        });
        cancelAnimationFrame(frame);
        // The stream does not name the LLM; the stored message does (shown after a reload).
        answer.clientModel ??= request.clientModel ?? state.agent?.model ?? null;
        bubble.update(answer);
        bubble.dataset.finish = answer.finishReason ?? '';
    } catch (error) {
        cancelAnimationFrame(frame);
        bubble.remove();
        replace(status, notice(describeError(error)));
    } finally {
        bubble.classList.remove('streaming');
        state.controller = null;
        send.disabled = false;
        stop.hidden = true;
        input.focus();
        loadConversations();
    }
}
