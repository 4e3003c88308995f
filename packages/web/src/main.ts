/**
 * The app's entry: read config.json, finish a sign-in when the provider sent the browser back,
 * then show the signed-out page or the gallery / people pages (hash routes, so any static host
 * serves them from one index.html).
 */
import './styles.css';
import { createApi } from './api.js';
import { Auth, type SignedOutReason } from './auth.js';
import { loadConfig, type WebConfig } from './config.js';
import { h, replace } from './dom.js';
import { createGallery, type Gallery } from './gallery-view.js';
import { createUploader } from './upload-view.js';
import { createUsersPage } from './users-view.js';

const main = document.getElementById('main')!;
const account = document.getElementById('account')!;
const nav = document.getElementById('nav')!;
const alerts = document.getElementById('alerts')!;

const SIGNED_OUT_WORDS: Record<SignedOutReason, string> = {
  'signed-out': 'You are signed out.',
  expired: 'Your session ended. Sign in again to continue.',
  failed: 'Sign-in did not complete.',
};

function showError(message: string): void {
  replace(alerts, h('p', { role: 'alert', class: 'error' }, message));
}

function renderSignedOut(auth: Auth, reason?: SignedOutReason, detail?: string): void {
  nav.hidden = true;
  replace(account);
  const button = h('button', { type: 'button', class: 'primary' }, 'Sign in');
  button.addEventListener('click', () =>
    auth.signIn().catch((e: Error) => showError(`Sign-in could not start: ${e.message}`)),
  );
  replace(
    main,
    h(
      'section',
      { class: 'signed-out', 'aria-labelledby': 'signin-heading' },
      h('h2', { id: 'signin-heading' }, 'Sign in to see your photos'),
      reason &&
        h(
          'p',
          { class: reason === 'signed-out' ? 'note' : 'error', role: 'status' },
          SIGNED_OUT_WORDS[reason],
          detail ? ` ${detail}` : '',
        ),
      button,
    ),
  );
}

function renderSignedIn(config: WebConfig, auth: Auth): () => void {
  const api = createApi({
    baseUrl: config.apiUrl,
    token: () => auth.current?.accessToken,
    onUnauthorized: () => auth.end('expired'),
  });
  nav.hidden = false;
  const signOut = h('button', { type: 'button' }, 'Sign out');
  signOut.addEventListener('click', () => void auth.signOut());
  replace(account, h('span', { class: 'who' }, auth.current?.who ?? ''), signOut);
  let gallery: Gallery | undefined;
  const route = () => {
    gallery?.dispose();
    gallery = undefined;
    replace(alerts);
    const page = location.hash === '#/people' ? 'people' : 'gallery';
    for (const link of nav.querySelectorAll('a'))
      link.toggleAttribute(
        'aria-current',
        link.getAttribute('href') === (page === 'people' ? '#/people' : '#/'),
      );
    if (page === 'people') {
      replace(main, createUsersPage(api, showError));
    } else {
      const g = createGallery(api, showError);
      gallery = g;
      replace(
        main,
        createUploader(api, {
          onCreated: (i) => g.added(i),
          onUploaded: (i) => g.added(i),
          onCancelled: (id) => g.removed(id),
        }),
        g.element,
      );
    }
    main.focus();
  };
  window.addEventListener('hashchange', route);
  route();
  return () => {
    window.removeEventListener('hashchange', route);
    gallery?.dispose();
  };
}

async function start(): Promise<void> {
  let config: WebConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    replace(main, h('p', { role: 'alert', class: 'error' }, (error as Error).message));
    return;
  }
  const auth = new Auth(config.oidc);
  let teardown: (() => void) | undefined;
  auth.onChange((session, reason) => {
    teardown?.();
    teardown = undefined;
    if (session) teardown = renderSignedIn(config, auth);
    else renderSignedOut(auth, reason);
  });
  const here = new URL(location.href);
  if (Auth.isCallback(here)) {
    // The code is single-use and the URL would leak it into history: back to the app's root
    // (the redirect URI is `<root>/callback`) before anything else.
    history.replaceState(null, '', new URL('./', here).pathname);
    try {
      await auth.completeSignIn(here);
      return;
    } catch (error) {
      renderSignedOut(auth, 'failed', (error as Error).message);
      return;
    }
  }
  renderSignedOut(auth);
}

void start();
