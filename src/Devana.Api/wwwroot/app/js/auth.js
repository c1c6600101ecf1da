// Sign-in with OAuth authorization code + PKCE through oidc-client-ts and Devana's public client
// devana-web. Tokens stay in sessionStorage (gone when the tab closes, never in localStorage); the
// access token is renewed with the rotating refresh token before it expires.
/* global oidc */
import { appBase } from './format.js';

export const clientId = 'devana-web';
export const scopes = 'openid profile email offline_access completions agents files admin';

const base = appBase(location.pathname);
const authority = location.origin + base.slice(0, -'app/'.length);

const store = () => new oidc.WebStorageStateStore({ store: window.sessionStorage });

export const userManager = new oidc.UserManager({
    authority,
    client_id: clientId,
    redirect_uri: `${location.origin}${base}callback`,
    post_logout_redirect_uri: `${location.origin}${base}`,
    response_type: 'code',
    scope: scopes,
    userStore: store(),
    stateStore: store(),
    automaticSilentRenew: true,
    // The refresh token does the renewal; no hidden iframe (the CSP forbids framing Devana anyway).
    monitorSession: false,
    loadUserInfo: false,
    revokeTokensOnSignout: true,
    revokeTokenTypes: ['access_token', 'refresh_token'],
});

/** The API root (where /v1 lives), with a trailing slash. */
export const apiRoot = authority;

/** Finishes a sign-in when the page is the callback; returns the path to show next. */
export async function completeSignInIfCallback() {
    if (!location.pathname.endsWith(`${base}callback`)) {
        return null;
    }
    const user = await userManager.signinRedirectCallback();
    const target = typeof user.state === 'string' && user.state.startsWith('#') ? user.state : '#/chat';
    history.replaceState(null, '', `${base}${target}`);
    return target;
}

/** The signed-in user, renewing an expired access token first; null when there is none. */
export async function currentUser() {
    let user = await userManager.getUser();
    if (user && user.expired) {
        try {
            user = await userManager.signinSilent();
        } catch {
            await userManager.removeUser();
            user = null;
        }
    }
    return user;
}

export function signIn() {
    return userManager.signinRedirect({ state: location.hash || '#/chat' });
}

/** Revokes the tokens, ends the login page's session and comes back to the app. */
export function signOut() {
    // client_id lets Devana check the return address against devana-web's own rules.
    return userManager.signoutRedirect({ extraQueryParams: { client_id: clientId } });
}

/** The role claim in the id token (owner, admin or member). */
export function roleOf(user) {
    return user?.profile?.role ?? 'member';
}

export function isAdmin(user) {
    return ['owner', 'admin'].includes(roleOf(user));
}
