// The usage chart's data: per-day reports of /v1/usage/report folded into stacked series. Pure.

/** The ISO dates (yyyy-mm-dd, UTC) of the `days` days ending with `today`, oldest first. */
export function lastDays(today, days) {
    const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    const result = [];
    for (let i = days - 1; i >= 0; i--) {
        result.push(new Date(end - i * 86_400_000).toISOString().slice(0, 10));
    }
    return result;
}

/**
 * Builds the chart from one report per day ([{date, report}]): the `top` groups with the most of
 * `metric` over the period get a series each, the rest are summed as "other".
 * Returns {days, groups, values: number[group][day], max}.
 */
export function stackByDay(dailyReports, metric, top = 5) {
    const totals = new Map();
    for (const { report } of dailyReports) {
        for (const row of report.data ?? []) {
            totals.set(row.group, (totals.get(row.group) ?? 0) + (row[metric] ?? 0));
        }
    }
    const ranked = [...totals.entries()].filter(([, total]) => total > 0).sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    const topGroups = ranked.slice(0, top).map(([group]) => group);
    const hasOther = ranked.length > top;
    const groups = hasOther ? [...topGroups, 'other'] : topGroups;
    const values = groups.map(() => dailyReports.map(() => 0));
    dailyReports.forEach(({ report }, day) => {
        for (const row of report.data ?? []) {
            let index = topGroups.indexOf(row.group);
            if (index < 0) {
                if (!hasOther) {
                    continue;
                }
                index = groups.length - 1;
            }
            values[index][day] += row[metric] ?? 0;
        }
    });
    const max = Math.max(0, ...dailyReports.map((_, day) => values.reduce((sum, series) => sum + series[day], 0)));
    return { days: dailyReports.map(({ date }) => date), groups, values, max };
}

/** A round axis maximum at or above `max` (1, 2 or 5 times a power of ten). */
export function niceMax(max) {
    if (max <= 0) {
        return 1;
    }
    const power = 10 ** Math.floor(Math.log10(max));
    for (const step of [1, 2, 5, 10]) {
        if (step * power >= max) {
            return step * power;
        }
    }
    return 10 * power;
}
