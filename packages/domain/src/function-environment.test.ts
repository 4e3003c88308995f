import { describe, expect, it } from 'vitest';
import { functionEnvironment, IMAGE_DELIVERY_URL_ENV, type ResourceNames } from './function-environment.js';

const names: ResourceNames = {
  tables: { users: 'u', likes: 'l', images: 'i' },
  buckets: { images: 'b' },
  queueUrls: { likes: 'q', 'likes-dlq': 'dq', 'thumbnailer-failures': 'tf' } as ResourceNames['queueUrls'],
  imageDeliveryUrl: 'https://cdn.example',
};

describe('functionEnvironment', () => {
  it('names the table to a function that only reads one of its indexes, and gives it the delivery URL', () => {
    const env = functionEnvironment('listImages', 'dev', names);
    expect(env.IMAGES_TABLE).toBe('i');
    expect(env[IMAGE_DELIVERY_URL_ENV]).toBe('https://cdn.example');
  });

  it('gives the delivery URL only to packages that read the images table, and only when the stage has one', () => {
    expect(functionEnvironment('getUser', 'dev', names)[IMAGE_DELIVERY_URL_ENV]).toBeUndefined();
    const { imageDeliveryUrl: _none, ...withoutDelivery } = names;
    expect(
      functionEnvironment('getMetadata', 'dev', withoutDelivery)[IMAGE_DELIVERY_URL_ENV],
    ).toBeUndefined();
  });
});
