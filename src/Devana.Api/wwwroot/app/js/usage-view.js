// The caller's own usage and limits (GET /v1/usage), for everyone.
import { api } from './api.js';
import { h, notice, replace } from './dom.js';
import { describeError } from './errors.js';
import { formatLimit, formatNumber, formatTime } from './format.js';

export async function render(main) {
    const body = h('div', { id: 'my-usage' }, notice('Loading…', 'status'));
    replace(main, h('h1', {}, 'My usage and limits'), body);
    try {
        replace(body, usagePanel(await api('/v1/usage')));
    } catch (error) {
        replace(body, notice(describeError(error)));
    }
}

const names = {
    requests_per_minute: 'Requests this minute',
    requests_per_day: 'Requests today',
    tokens_per_day: 'Tokens today',
    tokens_per_month: 'Tokens this month',
};

export function usagePanel(usage) {
    return h('div', {}, (usage.levels ?? []).map(level => h('section', { class: 'panel', 'aria-label': `${level.level} ${level.id}` },
        h('h2', {}, `${level.level[0].toUpperCase()}${level.level.slice(1)} ${level.id}`),
        level.limits.map(limit => {
            const label = names[limit.name] ?? limit.name;
            const meter = limit.limit
                ? h('progress', { max: limit.limit, value: Math.min(limit.used, limit.limit), 'aria-label': `${label}, ${level.level}` })
                : h('span', { class: 'hint' }, 'no limit');
            return h('div', { class: 'meter' },
                h('span', {}, label), meter,
                h('span', {}, `${formatNumber(limit.used)} of ${formatLimit(limit.limit)} · resets ${formatTime(limit.resets_at)}`));
        }))));
}
