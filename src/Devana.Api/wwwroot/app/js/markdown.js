// Markdown to sanitised HTML: marked renders, DOMPurify removes scripts, handlers and unsafe URLs.
/* global marked, DOMPurify */

marked.setOptions({ gfm: true, breaks: true });

// Links open in a new tab without giving it a handle on this one.
DOMPurify.addHook('afterSanitizeAttributes', node => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
    }
});

export function renderMarkdown(text) {
    return DOMPurify.sanitize(marked.parse(text ?? '', { async: false }), { USE_PROFILES: { html: true } });
}

/** Puts rendered Markdown into an element. */
export function setMarkdown(element, text) {
    element.innerHTML = renderMarkdown(text);
}
