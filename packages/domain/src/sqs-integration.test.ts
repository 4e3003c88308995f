import { render } from 'velocityjs';
import { describe, expect, it } from 'vitest';
import { queues } from './queues.js';
import { routes } from './routes.js';
import {
  buildSqsMessage,
  type MappingContext,
  renderSqsIntegration,
  type SqsSendMessageIntegration,
} from './sqs-integration.js';

/** A Java String as VTL sees it: `replaceAll` takes a regular expression. */
class JavaString {
  constructor(private readonly value: string) {}
  replaceAll(regex: string, replacement: string): JavaString {
    return new JavaString(this.value.replace(new RegExp(regex, 'g'), () => replacement));
  }
  toString(): string {
    return this.value;
  }
}

/** API Gateway's $util, as documented (escapeJavaScript is commons-lang's). */
const util = {
  escapeJavaScript(value: unknown): JavaString {
    let out = '';
    for (const ch of String(value ?? '')) {
      const code = ch.codePointAt(0) ?? 0;
      const simple: Record<string, string> = {
        "'": "\\'",
        '"': '\\"',
        '\\': '\\\\',
        '/': '\\/',
        '\b': '\\b',
        '\n': '\\n',
        '\t': '\\t',
        '\f': '\\f',
        '\r': '\\r',
      };
      if (simple[ch]) out += simple[ch];
      else if (code < 0x20 || code > 0x7e) {
        // Java strings are UTF-16: astral characters become two \u escapes.
        for (const unit of ch.split(''))
          out += `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      } else out += ch;
    }
    return new JavaString(out);
  },
  urlEncode(value: unknown): string {
    // java.net.URLEncoder: space as '+', and leaves only A-Za-z0-9 . - * _ unencoded.
    return encodeURIComponent(String(value))
      .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  },
};

/** What SQS receives: the template rendered with the request's context, form-decoded. */
function viaTemplate(integration: SqsSendMessageIntegration, ctx: MappingContext): string | undefined {
  const template = renderSqsIntegration(integration).requestTemplates['application/json'] ?? '';
  const rendered = render(template, {
    input: { params: (name: string) => ctx.pathParameters[name] ?? '' },
    context: {
      authorizer: ctx.authorizer ?? {},
      requestId: ctx.requestId,
      requestTimeEpoch: ctx.requestTimeEpoch,
    },
    util,
  });
  const form = new URLSearchParams(rendered);
  expect(form.get('Action')).toBe('SendMessage');
  return form.get('MessageBody') ?? undefined;
}

const sqsRoutes = routes.flatMap((r) =>
  r.integration.kind === 'sqsSendMessage' ? [{ route: r, integration: r.integration }] : [],
);

describe('SQS service integrations', () => {
  it('declares the like and unlike routes with a jwt authorizer and a 202', () => {
    expect(sqsRoutes.map(({ route }) => `${route.method} ${route.path}`).sort()).toEqual([
      'DELETE /users/{id}/likes',
      'POST /users/{id}/likes',
    ]);
    for (const { route, integration } of sqsRoutes) {
      expect(route.auth.kind).toBe('jwt');
      expect(queues[integration.queue]).toBeDefined();
      expect(renderSqsIntegration(integration).responses[0]).toEqual({
        statusCode: '202',
        selectionPattern: '2\\d{2}',
        template: '{"message":"accepted"}',
      });
    }
  });

  const hostile = [
    ['plain ids', 'a1b2c3', 'user-42'],
    ['quotes and backslashes', `it's "quoted" \\ back\\slash`, `o'brien"`],
    ['slashes, ampersands, equals, plus, percent', 'a/b&c=d+e%20f', 'x&Action=DeleteQueue'],
    ['unicode, an emoji and control characters', 'Zoë 😀 \u0001\t\n', 'ünïcødé'],
    ['braces and commas', '{"userId":"evil"},', '}'],
  ] as const;

  it.each(
    sqsRoutes.flatMap(({ route, integration }) =>
      hostile.map(([label, id, sub]) => [`${route.method} ${label}`, integration, id, sub] as const),
    ),
  )(
    'the rendered template and the local runner send the same message (%s)',
    (_label, integration, id, sub) => {
      const ctx: MappingContext = {
        pathParameters: { id },
        authorizer: { principalId: sub, sub },
        requestId: 'c0ffee00-0000-4000-8000-000000000001',
        requestTimeEpoch: 1_763_776_000_123,
      };
      const local = buildSqsMessage(integration, ctx);
      expect(local.missing).toEqual([]);
      const deployed = viaTemplate(integration, ctx);
      expect(JSON.parse(deployed ?? '')).toEqual(JSON.parse(local.body));
      expect(JSON.parse(local.body)).toMatchObject({ userId: id, likerId: sub, at: ctx.requestTimeEpoch });
      for (const field of Object.keys(integration.message))
        expect(JSON.parse(local.body)).toHaveProperty(field);
    },
  );

  it('reports a missing liker instead of sending an empty one', () => {
    const [{ integration }] = sqsRoutes as [(typeof sqsRoutes)[number]];
    const ctx = { pathParameters: { id: 'u1' }, requestId: 'r', requestTimeEpoch: 1 };
    expect(buildSqsMessage(integration, ctx).missing).toEqual(['likerId']);
    expect(buildSqsMessage(integration, { ...ctx, authorizer: { principalId: '' } }).missing).toEqual([
      'likerId',
    ]);
  });
});

describe('queues', () => {
  it('sends every dead-letter policy to a defined queue, with 3 receives for likes', () => {
    for (const q of Object.values(queues)) {
      if ('deadLetter' in q) expect(Object.keys(queues)).toContain(q.deadLetter.queue);
    }
    expect(queues.likes.deadLetter.maxReceiveCount).toBe(3);
  });
});
