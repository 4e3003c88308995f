/**
 * The local provider's sign-in page: one email field, no password. Plain HTML with no script,
 * so `pnpm login` (cli/login-cli.ts) drives it with the same form post a browser makes.
 */

export interface LoginPageModel {
  /** Where the form posts (the interaction's URL); empty when the sign-in expired. */
  readonly action: string;
  readonly email: string;
  readonly error?: string;
  /** The interaction is gone (too old, or its cookie was lost): start again from the app. */
  readonly expired?: boolean;
}

export function loginPage(model: LoginPageModel): string {
  return page(
    model.expired
      ? `<p>This sign-in has expired or was already used. Start again from the app.</p>`
      : `<form method="post" action="${escapeHtml(model.action)}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email" required autofocus value="${escapeHtml(model.email)}">
  <button type="submit">Sign in</button>
</form>
${model.error ? `<p role="alert">${escapeHtml(model.error)}</p>` : ''}`,
  );
}

/** The provider's own errors (a bad client_id or redirect_uri): shown, never redirected. */
export function errorPage(error: string, description: string | undefined): string {
  return page(`<p role="alert">${escapeHtml(error)}${description ? `: ${escapeHtml(description)}` : ''}</p>`);
}

function page(body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to Snapstack (local)</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}
input,button{font:inherit;display:block;width:100%;margin:.5rem 0;padding:.5rem;box-sizing:border-box}</style>
</head>
<body>
<h1>Sign in to Snapstack</h1>
<p>Local development sign-in: any email address signs in, no password.</p>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
