// The shell: finishes sign-in, shows who is signed in, and routes #/chat, #/agents, #/usage, #/admin.
import { completeSignInIfCallback, currentUser, isAdmin, roleOf, signIn, signOut, userManager } from './auth.js';
import { h, notice, replace } from './dom.js';
import { describeError } from './errors.js';

const main = document.getElementById('main');

const routes = {
    chat: () => import('./chat.js'),
    agents: () => import('./agents.js'),
    usage: () => import('./usage-view.js'),
    admin: () => import('./admin.js'),
};

let user = null;

async function start() {
    try {
        await completeSignInIfCallback();
    } catch (error) {
        replace(main, notice(`Sign-in did not complete: ${error.message}`), h('button', { type: 'button', onclick: () => signIn() }, 'Sign in again'));
        return;
    }
    user = await currentUser();
    if (!user) {
        showSignedOut();
        return;
    }
    showSignedIn();
    userManager.events.addUserLoaded(loaded => { user = loaded; });
    userManager.events.addSilentRenewError(() => showSignedOut('Your session has ended.'));
    window.addEventListener('hashchange', route);
    await route();
}

function showSignedOut(message) {
    document.getElementById('nav').hidden = true;
    document.getElementById('account').hidden = true;
    replace(main,
        h('section', { class: 'welcome' },
            h('h1', {}, 'Devana'),
            h('p', {}, 'Chat with your workspace\u2019s agents, manage them, and administer the workspace.'),
            message ? notice(message, 'status') : null,
            h('button', { type: 'button', class: 'primary', id: 'sign-in', onclick: () => signIn() }, 'Sign in')));
}

function showSignedIn() {
    document.getElementById('nav').hidden = false;
    document.getElementById('account').hidden = false;
    document.getElementById('nav-admin').hidden = !isAdmin(user);
    document.getElementById('who').textContent = `${user.profile.email ?? user.profile.name ?? user.profile.sub} (${roleOf(user)})`;
    document.getElementById('sign-out').onclick = () => signOut();
}

async function route() {
    const [name, ...rest] = (location.hash.replace(/^#\/?/, '') || 'chat').split('/');
    const key = name in routes ? name : 'chat';
    for (const link of document.querySelectorAll('#nav a')) {
        if (link.dataset.route === key) {
            link.setAttribute('aria-current', 'page');
        } else {
            link.removeAttribute('aria-current');
        }
    }
    // Each route renders into an element of its own, shown at once. A render of the route before that is still
    // waiting (its module, its first fetch) then writes into an element no longer shown, not over this one:
    // signing in shows the chat, and a link followed before the chat has loaded must not be covered by it.
    const view = h('div', { class: 'view' });
    replace(main, view);
    if (key === 'admin' && !isAdmin(user)) {
        replace(view, h('h1', {}, 'Admin'), notice('Only the workspace\u2019s owners and admins can see this page.'));
        return;
    }
    try {
        const module = await routes[key]();
        if (view.isConnected) {
            await module.render(view, { user, params: rest.map(decodeURIComponent) });
        }
    } catch (error) {
        replace(view, notice(describeError(error)));
    }
}

start();
