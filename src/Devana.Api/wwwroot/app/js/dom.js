// A tiny element builder: every node is made with createElement and textContent, never from HTML
// strings (the one exception is sanitised Markdown, in markdown.js).

/** h('button', {type: 'button', onclick: f, class: 'x'}, 'text', child, ...) */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
        if (value === undefined || value === null || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            element.addEventListener(name.slice(2), value);
        } else if (name === 'class') {
            element.className = value;
        } else if (name === 'value' || name === 'checked' || name === 'selected' || name === 'disabled' || name === 'multiple') {
            element[name] = value;
        } else {
            element.setAttribute(name, value === true ? '' : String(value));
        }
    }
    append(element, children);
    return element;
}

function append(element, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

/** Replaces an element's content. */
export function replace(element, ...children) {
    element.replaceChildren();
    append(element, children);
}

let counter = 0;

/** A unique id for label/for pairs. */
export function uid(prefix = 'f') {
    counter += 1;
    return `${prefix}-${counter}`;
}

/** A labelled form field: [label, control]. */
export function field(labelText, control, hint) {
    control.id ||= uid();
    const hintNode = hint ? h('small', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
    if (hintNode) {
        control.setAttribute('aria-describedby', hintNode.id);
    }
    return h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control, hintNode);
}

/** A status line (role=status) or alert (role=alert) that screen readers announce. */
export function notice(text, kind = 'error') {
    return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
