import { describe, expect, it } from 'vitest';
import { apiSettings, corsOrigins, usagePlanFor } from './api-settings.js';
import { functionSummary, routesServedBy } from './routes.js';

describe('API settings per stage', () => {
  it('gives a stage its own usage plan, and every other stage (local, dev) the default', () => {
    expect(usagePlanFor('prod')).toBe(apiSettings.usagePlan.byStage.prod);
    expect(usagePlanFor('local')).toBe(apiSettings.usagePlan.default);
    expect(usagePlanFor('dev')).toBe(apiSettings.usagePlan.default);
  });

  it('gives a stage its own CORS origins, and every other stage the default', () => {
    expect(corsOrigins('prod')).toEqual(['https://snapstack.example']);
    expect(corsOrigins('local')).toEqual(apiSettings.cors.allowOrigins.default);
  });

  it("puts the stage's web app origin first, once, where gateway responses send their one origin", () => {
    const app = 'https://d111.cloudfront.net';
    expect(corsOrigins('prod', app)).toEqual([app, 'https://snapstack.example']);
    expect(corsOrigins('prod', 'https://snapstack.example')).toEqual(['https://snapstack.example']);
    expect(corsOrigins('dev', app)[0]).toBe(app);
    expect(corsOrigins('dev', app).slice(1)).toEqual(corsOrigins('dev'));
    // A stage open to every origin needs no exception for its own app.
    expect(corsOrigins('local', app)).toEqual(['*']);
  });
});

describe('function summaries', () => {
  it('name the routes a function serves, from the route table', () => {
    expect(routesServedBy('getUser')).toEqual(['GET /users/{id}', 'GET /people/{id}']);
    expect(functionSummary('getUser')).toBe('GET /users/{id}, GET /people/{id}: One user');
  });

  it('are the bare description for functions no route serves', () => {
    expect(routesServedBy('thumbnailer')).toEqual([]);
    expect(functionSummary('thumbnailer')).toBe('Thumbnails and metadata for each new original');
  });
});
