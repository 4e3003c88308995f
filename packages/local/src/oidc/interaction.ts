/** The dev login page's HTTP side: GET shows the form, POST signs the email in. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { default as Provider } from 'oidc-provider';
import { normalizeEmail, subjectOf } from './accounts.js';
import { INTERACTION_PATH, MAX_FORM_BYTES } from './client.js';
import type { OidcLibrary } from './configuration.js';
import { loginPage } from './login-page.js';

/** The dev login page: GET shows the form, POST signs the email in and resumes the authorization. */
export async function interaction(
  { errors }: OidcLibrary,
  provider: Provider,
  emails: Map<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const html = (status: number, body: string): void => {
    res
      .writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      .end(body);
  };
  let details: Awaited<ReturnType<Provider['interactionDetails']>>;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (error) {
    if (error instanceof errors.SessionNotFound)
      return html(400, loginPage({ expired: true, action: '', email: '' }));
    throw error;
  }
  const action = `${INTERACTION_PATH}${details.uid}`;
  if (req.method === 'GET') return html(200, loginPage({ action, email: '' }));
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  const form = await readForm(req);
  if (form === undefined) return html(413, loginPage({ action, email: '', error: 'The form is too large.' }));
  const given = form.get('email') ?? '';
  const email = normalizeEmail(given);
  if (!email) return html(400, loginPage({ action, email: given, error: 'Enter an email address.' }));
  const sub = subjectOf(email);
  emails.set(sub, email);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: sub } },
    { mergeWithLastSubmission: false },
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
