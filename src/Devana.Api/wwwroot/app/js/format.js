// Small formatting helpers shared by the views. Pure.

export function formatNumber(value, locale) {
    return value === null || value === undefined ? '—' : new Intl.NumberFormat(locale).format(value);
}

/** Unix seconds as a local date and time. */
export function formatTime(seconds, locale) {
    return seconds ? new Date(seconds * 1000).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

/** "12 prompt + 30 completion = 42 tokens". */
export function formatUsage(usage, locale) {
    if (!usage) {
        return '';
    }
    return `${formatNumber(usage.prompt_tokens, locale)} prompt + ${formatNumber(usage.completion_tokens, locale)} completion = ${formatNumber(usage.total_tokens, locale)} tokens`;
}

/** A limit of 0 means none. */
export function formatLimit(limit, locale) {
    return limit ? formatNumber(limit, locale) : 'no limit';
}

/** Splits "a, b  c" into ["a", "b", "c"] (lists typed in one field). */
export function splitList(text) {
    return (text ?? '').split(/[\s,]+/).map(item => item.trim()).filter(item => item.length > 0);
}

/** The app's base path (ending in /app/) from a location path, whatever route or callback it is on. */
export function appBase(pathname) {
    const index = pathname.indexOf('/app/');
    if (index >= 0) {
        return pathname.slice(0, index + 5);
    }
    return pathname.endsWith('/app') ? `${pathname}/` : '/app/';
}
