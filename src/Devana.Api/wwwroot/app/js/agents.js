// Agents: list, create, edit, delete, and their knowledge files. Only what the signed-in user may
// change shows its edit and delete buttons: their own agents, or every agent for an owner or admin.
import { api, listAll } from './api.js';
import { isAdmin } from './auth.js';
import { languages } from './chat.js';
import { field, h, notice, replace } from './dom.js';
import { describeError } from './errors.js';
import { formatTime, splitList } from './format.js';

let context = null;
// A message for the next render (after a save changes the address).
let flash = null;

export function canChange(agent, user) {
    return agent.owner_id === user.profile.sub || isAdmin(user);
}

export async function render(main, { user, params }) {
    context = { main, user };
    const status = h('div', { id: 'agents-status' });
    const list = h('div', { id: 'agent-list' }, notice('Loading…', 'status'));
    replace(main,
        h('h1', {}, 'Agents'),
        h('div', { class: 'actions' }, h('a', { href: '#/agents/new', class: 'button-link', id: 'new-agent' }, 'New agent')),
        status, list);
    context.status = status;
    if (flash) {
        replace(status, notice(flash, 'ok'));
        flash = null;
    }
    if (params[0] === 'new') {
        await showForm(null);
        return;
    }
    if (params[0]) {
        try {
            await showForm(await api(`/v1/agents/${encodeURIComponent(params[0])}`));
        } catch (error) {
            replace(status, notice(describeError(error)));
        }
        return;
    }
    try {
        const agents = await listAll('/v1/agents');
        replace(list, agents.length === 0
            ? notice('No agents yet. Create the first one.', 'status')
            : h('div', { class: 'table-wrap' }, h('table', {},
                h('caption', { class: 'visually-hidden' }, 'Agents'),
                h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Agent'), h('th', { scope: 'col' }, 'LLM'), h('th', { scope: 'col' }, 'Visibility'), h('th', { scope: 'col' }, 'Updated'), h('th', { scope: 'col' }, 'Actions'))),
                h('tbody', {}, agents.map(agent => agentRow(agent, user))))));
    } catch (error) {
        replace(list, notice(describeError(error)));
    }
}

function agentRow(agent, user) {
    const editable = canChange(agent, user);
    return h('tr', { 'data-agent': agent.id },
        h('td', {}, h('strong', {}, agent.name), h('br'), h('small', {}, agent.id), agent.description ? h('p', { class: 'hint' }, agent.description) : null),
        h('td', {}, agent.model ?? 'default'),
        h('td', {}, agent.visibility),
        h('td', {}, formatTime(agent.updated_at)),
        h('td', {}, editable
            ? h('span', { class: 'item-actions' },
                h('a', { href: `#/agents/${encodeURIComponent(agent.id)}`, 'aria-label': `Edit ${agent.name}` }, 'Edit'),
                h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${agent.name}`, onclick: () => deleteAgent(agent) }, 'Delete'))
            : h('span', { class: 'hint' }, 'read only')));
}

async function deleteAgent(agent) {
    if (!window.confirm(`Delete the agent "${agent.name}"? Its conversations stay readable.`)) {
        return;
    }
    try {
        await api(`/v1/agents/${encodeURIComponent(agent.id)}`, { method: 'DELETE' });
        await render(context.main, { user: context.user, params: [] });
        replace(context.status, notice(`Deleted ${agent.name}.`, 'ok'));
    } catch (error) {
        replace(context.status, notice(describeError(error)));
    }
}

/** The agent body from the form's values (blank numbers and selects mean "not set"). */
export function agentBody(values) {
    const number = text => (text === '' || text === undefined ? null : Number(text));
    return {
        name: values.name.trim(),
        description: values.description.trim() || null,
        instructions: values.instructions.trim() || null,
        model: values.model || null,
        allowed_models: values.allowedModels,
        fallback_models: splitList(values.fallbackModels),
        temperature: number(values.temperature),
        lang: values.lang || null,
        welcome_message: values.welcomeMessage.trim() || null,
        visibility: values.visibility,
    };
}

async function showForm(agent) {
    const { main, user } = context;
    if (agent && !canChange(agent, user)) {
        replace(main, h('h1', {}, agent.name), notice('Only its owner or a workspace admin can change this agent.'));
        return;
    }
    let llms = [];
    try {
        llms = (await api('/v1/llms')).data.map(llm => llm.id);
    } catch (error) {
        replace(context.status, notice(describeError(error)));
    }
    const id = h('input', { id: 'agent-id', pattern: '[a-z0-9][a-z0-9._-]{0,63}', value: agent?.id ?? '', disabled: Boolean(agent), autocomplete: 'off' });
    const name = h('input', { id: 'agent-name', required: true, maxlength: 100, value: agent?.name ?? '' });
    const description = h('input', { id: 'agent-description', maxlength: 512, value: agent?.description ?? '' });
    const instructions = h('textarea', { id: 'agent-instructions', rows: 6, maxlength: 32000, value: agent?.instructions ?? '' });
    const model = h('select', { id: 'agent-model' },
        h('option', { value: '' }, 'Catalog default'),
        llms.map(llm => h('option', { value: llm, selected: agent?.model === llm }, llm)));
    const allowed = h('fieldset', { id: 'agent-allowed' },
        h('legend', {}, 'Allowed LLMs (none checked: all)'),
        llms.map(llm => h('label', {}, h('input', { type: 'checkbox', value: llm, checked: agent?.allowed_models?.includes(llm) ?? false }), llm)));
    const fallbacks = h('input', { id: 'agent-fallbacks', value: (agent?.fallback_models ?? []).join(', '), autocomplete: 'off' });
    const temperature = h('input', { id: 'agent-temperature', type: 'number', min: 0, max: 1, step: 0.1, value: agent?.temperature ?? '' });
    const lang = h('select', { id: 'agent-lang' },
        h('option', { value: '' }, 'None'),
        languages.map(([code, label]) => h('option', { value: code, selected: agent?.lang === code }, `${label} (${code})`)));
    const welcome = h('textarea', { id: 'agent-welcome', rows: 2, maxlength: 2000, value: agent?.welcome_message ?? '' });
    const visibility = h('select', { id: 'agent-visibility' },
        h('option', { value: 'private', selected: agent?.visibility !== 'workspace' }, 'Private (only me)'),
        h('option', { value: 'workspace', selected: agent?.visibility === 'workspace' }, 'Workspace (everyone may use it)'));
    const formStatus = h('div', { id: 'agent-form-status' });
    const form = h('form', { class: 'panel', id: 'agent-form' },
        h('div', { class: 'grid-2' },
            field('Id', id, agent ? 'Set at creation.' : 'Optional: a slug; left empty, Devana picks one.'),
            field('Name', name),
            field('Description', description),
            field('Default LLM', model),
            field('Temperature', temperature, '0 to 1; empty for the default.'),
            field('Language', lang),
            field('Visibility', visibility)),
        field('Instructions', instructions),
        allowed,
        field('Fallback LLMs', fallbacks, `In order, comma-separated, tried when the LLM fails before it answers; empty: none. LLMs: ${llms.join(', ')}.`),
        field('Welcome message', welcome),
        formStatus,
        h('div', { class: 'actions' },
            h('button', { type: 'submit', class: 'primary', id: 'save-agent' }, agent ? 'Save' : 'Create'),
            h('a', { href: '#/agents' }, 'Cancel')));
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const body = agentBody({
            name: name.value, description: description.value, instructions: instructions.value, model: model.value,
            allowedModels: [...allowed.querySelectorAll('input:checked')].map(box => box.value),
            fallbackModels: fallbacks.value,
            temperature: temperature.value, lang: lang.value, welcomeMessage: welcome.value, visibility: visibility.value,
        });
        try {
            let saved;
            if (agent) {
                saved = await api(`/v1/agents/${encodeURIComponent(agent.id)}`, { method: 'PATCH', body });
            } else {
                saved = await api('/v1/agents', { method: 'POST', body: id.value.trim() ? { id: id.value.trim(), ...body } : body });
            }
            flash = `Saved ${saved.name}.`;
            const target = `#/agents/${encodeURIComponent(saved.id)}`;
            if (location.hash === target) {
                await render(main, { user, params: [saved.id] });
            } else {
                location.hash = target;
            }
        } catch (error) {
            replace(formStatus, notice(describeError(error)));
        }
    });
    replace(main, h('h1', {}, agent ? `Edit ${agent.name}` : 'New agent'), context.status, form, agent ? knowledgePanel(agent) : null);
    name.focus();
}

function knowledgePanel(agent) {
    const list = h('ul', { id: 'knowledge-files' });
    const input = h('input', { type: 'file', id: 'knowledge-upload', multiple: true });
    const status = h('div');
    const refresh = async () => {
        const current = await api(`/v1/agents/${encodeURIComponent(agent.id)}`);
        const files = await Promise.all(current.file_ids.map(async fileId => {
            try {
                return await api(`/v1/files/${encodeURIComponent(fileId)}`);
            } catch {
                return { id: fileId, filename: fileId };
            }
        }));
        replace(list, files.length === 0 ? h('li', { class: 'hint' }, 'No knowledge files.') : files.map(file => h('li', {},
            `${file.filename} `,
            h('button', {
                type: 'button', class: 'small danger', 'aria-label': `Remove ${file.filename}`,
                onclick: async () => {
                    try {
                        await api(`/v1/agents/${encodeURIComponent(agent.id)}/files/${encodeURIComponent(file.id)}`, { method: 'DELETE' });
                        await refresh();
                    } catch (error) {
                        replace(status, notice(describeError(error)));
                    }
                },
            }, 'Remove'))));
    };
    input.addEventListener('change', async () => {
        replace(status, notice('Uploading…', 'status'));
        try {
            const ids = [];
            for (const file of input.files) {
                const form = new FormData();
                form.append('file', file);
                form.append('purpose', 'assistants');
                const uploaded = await api('/v1/files', { method: 'POST', body: form });
                if (uploaded.status !== 'processed') {
                    throw new Error(`${file.name} could not be read: ${uploaded.error ?? uploaded.status}`);
                }
                ids.push(uploaded.id);
            }
            await api(`/v1/agents/${encodeURIComponent(agent.id)}/files`, { method: 'POST', body: { file_ids: ids } });
            replace(status, notice('Added.', 'ok'));
            await refresh();
        } catch (error) {
            replace(status, notice(describeError(error)));
        }
        input.value = '';
    });
    refresh().catch(error => replace(status, notice(describeError(error))));
    return h('section', { class: 'panel', 'aria-labelledby': 'knowledge-title' },
        h('h2', { id: 'knowledge-title' }, 'Knowledge files'), list, field('Add files', input), status);
}
