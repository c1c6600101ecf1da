// Admin (owners and admins): clients (secret shown once, rotate, delete), users, quotas and the
// workspace's usage chart. The API enforces all of it; the app only hides it from members.
import { api, listAll } from './api.js';
import { field, h, notice, replace } from './dom.js';
import { describeError } from './errors.js';
import { formatLimit, formatNumber, formatTime, splitList } from './format.js';
import { lastDays, niceMax, stackByDay } from './usage.js';
import { usagePanel } from './usage-view.js';

const tabs = [['clients', 'Clients'], ['users', 'Users'], ['quotas', 'Quotas'], ['usage', 'Usage']];
const apiScopes = ['completions', 'agents', 'files', 'admin'];

export async function render(main, { params }) {
    const tab = tabs.some(([key]) => key === params[0]) ? params[0] : 'clients';
    const body = h('div', { id: `admin-${tab}` });
    replace(main,
        h('h1', {}, 'Admin'),
        h('nav', { class: 'tabs', 'aria-label': 'Admin sections' },
            tabs.map(([key, label]) => h('a', { href: `#/admin/${key}`, 'aria-current': key === tab ? 'page' : null }, label))),
        body);
    await { clients, users, quotas, usage }[tab](body);
}

// Clients ---------------------------------------------------------------------------------------

async function clients(body) {
    const status = h('div', { id: 'clients-status' });
    const secretBox = h('div', { id: 'secret-box', 'aria-live': 'polite' });
    const list = h('div', {});
    const name = h('input', { id: 'client-name', required: true, maxlength: 100 });
    const type = h('select', { id: 'client-type' },
        h('option', { value: 'confidential' }, 'Confidential (a backend or a machine)'),
        h('option', { value: 'public' }, 'Public (a browser or mobile app, PKCE)'));
    const scopes = h('fieldset', { id: 'client-scopes' }, h('legend', {}, 'Scopes'),
        apiScopes.map(scope => h('label', {}, h('input', { type: 'checkbox', value: scope, checked: scope !== 'admin' }), scope)));
    const redirects = h('input', { id: 'client-redirects', placeholder: 'https://app.example.com/callback' });
    const form = h('form', { class: 'panel', id: 'client-form' },
        h('h2', {}, 'New client'),
        h('div', { class: 'grid-2' }, field('Name', name), field('Type', type)),
        scopes,
        field('Redirect URIs', redirects, 'Public clients: one or more, separated by spaces.'),
        h('button', { type: 'submit', class: 'primary', id: 'create-client' }, 'Create client'));

    const showSecret = (client, secret) => replace(secretBox, h('div', { class: 'panel', role: 'alert' },
        h('h2', {}, `Secret of ${client.name}`),
        h('p', {}, 'Copy it now: it is shown only this once, and Devana keeps only a hash of it.'),
        h('p', { class: 'secret', id: 'client-secret' }, secret),
        h('p', {}, 'Client id: ', h('code', {}, client.client_id)),
        h('button', { type: 'button', id: 'secret-done', onclick: () => replace(secretBox) }, 'I have copied it')));

    const refresh = async () => {
        try {
            const items = await listAll('/v1/clients');
            replace(list, h('div', { class: 'table-wrap' }, h('table', { id: 'clients-table' },
                h('caption', { class: 'visually-hidden' }, 'Clients'),
                h('thead', {}, h('tr', {}, ['Name', 'Client id', 'Type', 'Scopes', 'Created', 'Actions'].map(title => h('th', { scope: 'col' }, title)))),
                h('tbody', {}, items.map(client => h('tr', { 'data-client': client.client_id },
                    h('td', {}, client.name),
                    h('td', {}, h('code', {}, client.client_id)),
                    h('td', {}, client.type),
                    h('td', {}, client.scopes.join(' ')),
                    h('td', {}, formatTime(client.created_at)),
                    h('td', {}, h('span', { class: 'item-actions' },
                        client.type === 'confidential' ? h('button', {
                            type: 'button', class: 'small', 'aria-label': `Rotate the secret of ${client.name}`,
                            onclick: async () => {
                                if (!window.confirm(`Rotate the secret of ${client.name}? The old one stops working at once.`)) {
                                    return;
                                }
                                try {
                                    const rotated = await api(`/v1/clients/${encodeURIComponent(client.id)}/secret`, { method: 'POST' });
                                    showSecret(client, rotated.client_secret);
                                } catch (error) {
                                    replace(status, notice(describeError(error)));
                                }
                            },
                        }, 'Rotate secret') : null,
                        client.client_id === 'devana-web' ? null : h('button', {
                            type: 'button', class: 'small danger', 'aria-label': `Delete ${client.name}`,
                            onclick: async () => {
                                if (!window.confirm(`Delete ${client.name}? Its tokens stop working at once.`)) {
                                    return;
                                }
                                try {
                                    await api(`/v1/clients/${encodeURIComponent(client.id)}`, { method: 'DELETE' });
                                    replace(status, notice(`Deleted ${client.name}.`, 'ok'));
                                    await refresh();
                                } catch (error) {
                                    replace(status, notice(describeError(error)));
                                }
                            },
                        }, 'Delete')))))))));
        } catch (error) {
            replace(list, notice(describeError(error)));
        }
    };

    form.addEventListener('submit', async event => {
        event.preventDefault();
        try {
            const created = await api('/v1/clients', {
                method: 'POST',
                body: {
                    name: name.value.trim(),
                    type: type.value,
                    scopes: [...scopes.querySelectorAll('input:checked')].map(box => box.value),
                    redirect_uris: splitList(redirects.value),
                },
            });
            form.reset();
            replace(status, notice(`Created ${created.name}.`, 'ok'));
            if (created.client_secret) {
                showSecret(created, created.client_secret);
            }
            await refresh();
        } catch (error) {
            replace(status, notice(describeError(error)));
        }
    });
    replace(body, status, secretBox, form, h('h2', {}, 'Clients'), list);
    await refresh();
}

// Users -----------------------------------------------------------------------------------------

async function users(body) {
    const status = h('div', { id: 'users-status' });
    const list = h('div', {});
    const email = h('input', { id: 'user-email', type: 'email', required: true, autocomplete: 'off' });
    const name = h('input', { id: 'user-name', maxlength: 100 });
    const password = h('input', { id: 'user-password', type: 'password', required: true, minlength: 12, maxlength: 128, autocomplete: 'new-password' });
    const role = h('select', { id: 'user-role' },
        h('option', { value: 'member' }, 'Member'), h('option', { value: 'admin' }, 'Admin'), h('option', { value: 'owner' }, 'Owner'));
    const form = h('form', { class: 'panel', id: 'user-form' },
        h('h2', {}, 'New user'),
        h('div', { class: 'grid-2' }, field('Email', email), field('Name', name), field('Password', password, '12 to 128 characters.'), field('Role', role)),
        h('button', { type: 'submit', class: 'primary', id: 'create-user' }, 'Create user'));
    const refresh = async () => {
        try {
            const items = await listAll('/v1/users');
            replace(list, h('div', { class: 'table-wrap' }, h('table', { id: 'users-table' },
                h('caption', { class: 'visually-hidden' }, 'Users'),
                h('thead', {}, h('tr', {}, ['Email', 'Name', 'Role', 'Id', 'Created'].map(title => h('th', { scope: 'col' }, title)))),
                h('tbody', {}, items.map(user => h('tr', {},
                    h('td', {}, user.email), h('td', {}, user.name ?? ''), h('td', {}, user.role), h('td', {}, h('code', {}, user.id)), h('td', {}, formatTime(user.created_at))))))));
        } catch (error) {
            replace(list, notice(describeError(error)));
        }
    };
    form.addEventListener('submit', async event => {
        event.preventDefault();
        try {
            const created = await api('/v1/users', { method: 'POST', body: { email: email.value.trim(), name: name.value.trim() || null, password: password.value, role: role.value } });
            form.reset();
            replace(status, notice(`Created ${created.email}.`, 'ok'));
            await refresh();
        } catch (error) {
            replace(status, notice(describeError(error)));
        }
    });
    replace(body, status, form, h('h2', {}, 'Users'), list);
    await refresh();
}

// Quotas ----------------------------------------------------------------------------------------

const limitFields = [
    ['requests_per_minute', 'Requests per minute'],
    ['requests_per_day', 'Requests per day'],
    ['tokens_per_day', 'Tokens per day'],
    ['tokens_per_month', 'Tokens per month'],
];

async function quotas(body) {
    const status = h('div', { id: 'quotas-status' });
    const list = h('div', {});
    const level = h('select', { id: 'quota-level' },
        h('option', { value: 'workspace' }, 'Workspace'), h('option', { value: 'principal' }, 'A user or client'), h('option', { value: 'agent' }, 'An agent'));
    const subject = h('input', { id: 'quota-subject', placeholder: 'usr_…, cli_… or an agent id', list: 'quota-subjects' });
    const subjects = h('datalist', { id: 'quota-subjects' });
    const inputs = Object.fromEntries(limitFields.map(([key]) => [key, h('input', { id: `quota-${key}`, type: 'number', min: 0, step: 1, value: 0 })]));
    const subjectField = field('Subject', subject, 'Not needed for the workspace.');
    const form = h('form', { class: 'panel', id: 'quota-form' },
        h('h2', {}, 'Set a quota'),
        h('div', { class: 'grid-2' }, field('Level', level), subjectField),
        h('div', { class: 'grid-4' }, limitFields.map(([key, label]) => field(label, inputs[key]))),
        h('p', { class: 'hint' }, '0 is no limit. Saving replaces all four limits of that level.'),
        subjects,
        h('button', { type: 'submit', class: 'primary', id: 'save-quota' }, 'Save quota'));
    const syncLevel = () => { subjectField.hidden = level.value === 'workspace'; };
    level.addEventListener('change', syncLevel);
    syncLevel();

    Promise.all([listAll('/v1/users').catch(() => []), listAll('/v1/clients').catch(() => []), listAll('/v1/agents').catch(() => [])])
        .then(([userList, clientList, agentList]) => replace(subjects,
            userList.map(user => h('option', { value: user.id }, user.email)),
            clientList.map(client => h('option', { value: client.id }, client.name)),
            agentList.map(agent => h('option', { value: agent.id }, agent.name))));

    const refresh = async () => {
        try {
            const page = await api('/v1/quotas?limit=100');
            const defaults = page.defaults ?? {};
            replace(list,
                h('p', {}, 'Defaults (for a workspace without a quota of its own): ',
                    limitFields.map(([key, label]) => `${label.toLowerCase()} ${formatLimit(defaults[key])}`).join(', '), '.'),
                h('div', { class: 'table-wrap' }, h('table', { id: 'quotas-table' },
                    h('caption', { class: 'visually-hidden' }, 'Stored quotas'),
                    h('thead', {}, h('tr', {}, ['Level', 'Subject', ...limitFields.map(([, label]) => label), 'Updated'].map(title => h('th', { scope: 'col' }, title)))),
                    h('tbody', {}, page.data.map(quota => h('tr', {},
                        h('td', {}, quota.level), h('td', {}, h('code', {}, quota.id ?? '')),
                        limitFields.map(([key]) => h('td', {}, formatLimit(quota[key]))),
                        h('td', {}, formatTime(quota.updated_at))))))));
        } catch (error) {
            replace(list, notice(describeError(error)));
        }
    };
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const path = level.value === 'workspace'
            ? '/v1/quotas/workspace'
            : `/v1/quotas/${level.value === 'agent' ? 'agents' : 'principals'}/${encodeURIComponent(subject.value.trim())}`;
        try {
            await api(path, { method: 'PUT', body: Object.fromEntries(limitFields.map(([key]) => [key, Number(inputs[key].value || 0)])) });
            replace(status, notice('Saved.', 'ok'));
            await refresh();
        } catch (error) {
            replace(status, notice(describeError(error)));
        }
    });
    replace(body, status, form, h('h2', {}, 'Stored quotas'), list);
    await refresh();
}

// Usage -----------------------------------------------------------------------------------------

async function usage(body) {
    const groupBy = h('select', { id: 'usage-group' }, h('option', { value: 'agent' }, 'Agent'), h('option', { value: 'principal' }, 'User or client'));
    const metric = h('select', { id: 'usage-metric' }, h('option', { value: 'total_tokens' }, 'Tokens'), h('option', { value: 'requests' }, 'Requests'));
    const days = h('select', { id: 'usage-days' }, h('option', { value: '7' }, '7 days'), h('option', { value: '14', selected: true }, '14 days'), h('option', { value: '30' }, '30 days'));
    const chart = h('div', { id: 'usage-chart' });
    const mine = h('div', { id: 'my-usage' });
    let reports = null;
    let loadedKey = null;
    const draw = async () => {
        const key = `${groupBy.value}/${days.value}`;
        try {
            if (loadedKey !== key) {
                replace(chart, notice('Loading…', 'status'));
                // The report sums a date range; one range per day gives the per-day series.
                reports = await Promise.all(lastDays(new Date(), Number(days.value)).map(async date => ({
                    date,
                    report: await api(`/v1/usage/report?from=${date}&to=${date}&group_by=${groupBy.value}`),
                })));
                loadedKey = key;
            }
            replace(chart, barChart(stackByDay(reports, metric.value), metric.value === 'requests' ? 'requests' : 'tokens'));
        } catch (error) {
            replace(chart, notice(describeError(error)));
        }
    };
    for (const control of [groupBy, metric, days]) {
        control.addEventListener('change', draw);
    }
    replace(body,
        h('section', { class: 'panel', 'aria-labelledby': 'usage-title' },
            h('h2', { id: 'usage-title' }, 'Workspace usage per day'),
            h('div', { class: 'grid-4' }, field('By', groupBy), field('Show', metric), field('Period', days)),
            chart),
        h('h2', {}, 'My usage and limits'), mine);
    api('/v1/usage').then(own => replace(mine, usagePanel(own)), error => replace(mine, notice(describeError(error))));
    await draw();
}

const svgNs = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
    const element = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attributes)) {
        element.setAttribute(name, String(value));
    }
    element.append(...children);
    return element;
}

/** A stacked bar per day, drawn as SVG with classes for colours (no inline styles). */
function barChart(data, unit) {
    const width = 640;
    const height = 240;
    const left = 48;
    const bottom = 24;
    const top = niceMax(data.max);
    const plotHeight = height - bottom - 8;
    const slot = (width - left) / data.days.length;
    const bar = Math.max(2, slot * 0.7);
    const total = data.values.reduce((sum, series) => sum + series.reduce((a, b) => a + b, 0), 0);
    const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title' },
        svg('title', { id: 'chart-title' }, `${unit} per day: ${formatNumber(total)} in all`),
        svg('line', { class: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }),
        svg('text', { x: left - 4, y: 12, 'text-anchor': 'end' }, formatNumber(top)),
        svg('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end' }, '0'));
    data.days.forEach((day, index) => {
        let y = height - bottom;
        const x = left + index * slot + (slot - bar) / 2;
        data.groups.forEach((group, series) => {
            const value = data.values[series][index];
            if (value <= 0) {
                return;
            }
            const barHeight = (value / top) * plotHeight;
            y -= barHeight;
            chart.append(svg('rect', { class: `series-${series % 6}`, x, y, width: bar, height: barHeight },
                svg('title', {}, `${day} · ${group}: ${formatNumber(value)} ${unit}`)));
        });
        if (data.days.length <= 14 || index % 5 === 0) {
            chart.append(svg('text', { x: x + bar / 2, y: height - 8, 'text-anchor': 'middle' }, day.slice(5)));
        }
    });
    const legend = h('ul', { class: 'legend', 'aria-label': 'Legend' }, data.groups.map((group, series) => {
        const sum = data.values[series].reduce((a, b) => a + b, 0);
        return h('li', {}, svg('svg', { width: 12, height: 12, 'aria-hidden': 'true' }, svg('rect', { class: `series-${series % 6}`, width: 12, height: 12 })), `${group}: ${formatNumber(sum)} ${unit}`);
    }));
    const table = h('details', {}, h('summary', {}, 'As a table'),
        h('div', { class: 'table-wrap' }, h('table', {},
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), data.groups.map(group => h('th', { scope: 'col' }, group)))),
            h('tbody', {}, data.days.map((day, index) => h('tr', {}, h('th', { scope: 'row' }, day), data.groups.map((_, series) => h('td', {}, formatNumber(data.values[series][index])))))))));
    return h('div', {}, data.groups.length === 0 ? notice('No usage in this period.', 'status') : null, chart, legend, table);
}
