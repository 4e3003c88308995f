import { accessStatements, s3ListStatement, s3ObjectStatement, ssmParameterStatement } from './grants.js';

describe('accessStatements', () => {
  const tables = {
    users: { arn: 'arn:aws:dynamodb:r:1:table/users', indexNames: [] },
    images: { arn: 'arn:aws:dynamodb:r:1:table/images', indexNames: ['byOwner'] },
  };

  it('turns DynamoDB access into exact actions on the table ARN', () => {
    expect(accessStatements({ dynamodb: { users: ['PutItem', 'GetItem', 'PutItem'] } }, { tables })).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: ['arn:aws:dynamodb:r:1:table/users'] },
    ]);
  });

  it('grants table actions on the table ARN only, and an index read on exactly that index ARN', () => {
    const access = {
      dynamodb: { images: ['Query', 'DeleteItem'] },
      dynamodbIndexes: { images: { byOwner: ['Query'] } },
    } as unknown as Parameters<typeof accessStatements>[0];
    expect(accessStatements(access, { tables })).toEqual([
      {
        actions: ['dynamodb:DeleteItem', 'dynamodb:Query'],
        resources: ['arn:aws:dynamodb:r:1:table/images'],
      },
      { actions: ['dynamodb:Query'], resources: ['arn:aws:dynamodb:r:1:table/images/index/byOwner'] },
    ]);
  });

  it('fails on an index the table does not have', () => {
    const access = { dynamodbIndexes: { images: { nope: ['Query'] } } } as unknown as Parameters<
      typeof accessStatements
    >[0];
    expect(() => accessStatements(access, { tables })).toThrow(/no index "nope"/);
  });

  it('grants ListBucket on the bucket narrowed to the prefix, and InvokeFunction on exactly the named function', () => {
    const access = {
      s3: { images: [{ actions: ['s3:ListBucket'], prefix: 'uploads/' }] },
      lambda: { thumbnailer: ['InvokeFunction'] },
    } as unknown as Parameters<typeof accessStatements>[0];
    const targets = { tables, buckets: { images: 'arn:aws:s3:::b' }, functions: { thumbnailer: 'arn:fn' } };
    expect(accessStatements(access, targets)).toEqual([
      {
        actions: ['s3:ListBucket'],
        resources: ['arn:aws:s3:::b'],
        conditions: { StringLike: { 's3:prefix': ['uploads/*'] } },
      },
      { actions: ['lambda:InvokeFunction'], resources: ['arn:fn'] },
    ]);
    expect(() => accessStatements(access, { ...targets, functions: {} })).toThrow(
      /no function "thumbnailer"/,
    );
  });

  it('fails on an access kind infra has no grant for', () => {
    const access = { kinesis: { stream: ['PutRecord'] } } as unknown as Parameters<
      typeof accessStatements
    >[0];
    expect(() => accessStatements(access, { tables })).toThrow(/FunctionAccess\.kinesis has no IAM grant/);
  });

  it('turns S3 grants into exact object actions on bucket/prefix*, one statement per prefix', () => {
    const statements = accessStatements(
      {
        s3: {
          images: [
            { actions: ['s3:GetObject'], prefix: 'uploads/' },
            { actions: ['s3:PutObject'], prefix: 'thumbnails/' },
          ],
        },
      },
      { tables, buckets: { images: 'arn:aws:s3:::snapstack-dev-images' } },
    );
    expect(statements).toEqual([
      { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::snapstack-dev-images/uploads/*'] },
      { actions: ['s3:PutObject'], resources: ['arn:aws:s3:::snapstack-dev-images/thumbnails/*'] },
    ]);
  });

  it('turns SQS and SSM access into exact actions on the queue and parameter ARNs', () => {
    const queueArn = 'arn:aws:sqs:r:1:snapstack-dev-likes';
    const parameterArn = 'arn:aws:ssm:r:1:parameter/snapstack/dev/auth/jwt-secret';
    expect(
      accessStatements(
        { sqs: { likes: ['ReceiveMessage', 'DeleteMessage'] }, ssm: { jwtSecret: ['GetParameter'] } },
        { tables, queues: { likes: queueArn }, parameters: { jwtSecret: parameterArn } },
      ),
    ).toEqual([
      { actions: ['sqs:DeleteMessage', 'sqs:ReceiveMessage'], resources: [queueArn] },
      { actions: ['ssm:GetParameter'], resources: [parameterArn] },
    ]);
  });

  it.each([
    ['bucket', { s3: { images: [{ actions: ['s3:GetObject'], prefix: '' }] } }],
    ['queue', { sqs: { likes: ['SendMessage'] } }],
    ['parameter', { ssm: { jwtSecret: ['GetParameter'] } }],
  ] as const)('fails on a %s that does not exist', (kind, access) => {
    expect(() => accessStatements(access, { tables })).toThrow(new RegExp(`no ${kind} "`));
  });

  it('fails on a table that does not exist', () => {
    const access = { dynamodb: { nope: ['GetItem'] } } as unknown as Parameters<typeof accessStatements>[0];
    expect(() => accessStatements(access, { tables })).toThrow(/no table "nope"/);
  });
});

describe('S3 and SSM statements', () => {
  it('scope objects to a prefix and listing with the s3:prefix condition', () => {
    expect(s3ObjectStatement('arn:aws:s3:::b', ['PutObject'], 'uploads/')).toEqual({
      actions: ['s3:PutObject'],
      resources: ['arn:aws:s3:::b/uploads/*'],
    });
    expect(s3ListStatement('arn:aws:s3:::b', 'thumbnails/')).toEqual({
      actions: ['s3:ListBucket'],
      resources: ['arn:aws:s3:::b'],
      conditions: { StringLike: { 's3:prefix': ['thumbnails/*'] } },
    });
    expect(
      ssmParameterStatement('arn:aws:ssm:r:1:parameter/snapstack/dev/jwt-secret', ['GetParameter']),
    ).toEqual({
      actions: ['ssm:GetParameter'],
      resources: ['arn:aws:ssm:r:1:parameter/snapstack/dev/jwt-secret'],
    });
  });
});
